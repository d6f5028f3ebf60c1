package dev.configstore.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.jdbc.ConfigStore;
import dev.configstore.testkit.RequiresServer;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The application's DataSource on a database server, recognised from its metadata, with the
 * store in a schema (or MariaDB database) of the test's own, dropped after each test.
 */
abstract class DataSourceStoreTests {

    static final String PLACE = "configstore_spring_runner_test";

    private final DataSource dataSource = new DriverManagerDataSource(server().url());

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigStoreAutoConfiguration.class))
            .withBean(DataSource.class, () -> dataSource);

    /** The server the tests run on. */
    abstract RequiresServer.Server server();

    /** The property that names where the store's tables are. */
    abstract String placeProperty();

    /** The statement that drops them. */
    abstract String dropPlace();

    /** The store type of that database. */
    abstract Class<? extends ConfigStore> storeType();

    @AfterEach
    void dropPlaceOfTheTest() throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(dropPlace());
        }
    }

    @Test
    void theDataSourcesDatabaseGivesItsStoreWhereThePropertySays() {
        runner.withPropertyValues(placeProperty() + "=" + PLACE).run(context -> {
            ConfigStore store = context.getBean(ConfigStore.class);
            assertThat(store).isInstanceOf(storeType());
            assertThat(store.name()).isEqualTo(PLACE);
            store.loggingStore().setLoggingChannelId("123456789012345678", "987654321098765432");
            assertThat(store.loggingStore().getLoggingChannelId("123456789012345678"))
                    .contains("987654321098765432");
        });
    }

    @Test
    void aNameConfigstoreRefusesNamesTheProperty() {
        runner.withPropertyValues(placeProperty() + "=Bad-Name")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith("Property " + placeProperty() + " with value 'Bad-Name' is invalid: "));
    }
}
