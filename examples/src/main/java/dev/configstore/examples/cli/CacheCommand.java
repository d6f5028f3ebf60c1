package dev.configstore.examples.cli;

import dev.configstore.jdbc.CacheClear;
import dev.configstore.jdbc.ConfigStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code configstore cache clear [--guild G | --namespace N] [--by WHO]}. */
@Command(
        name = "cache",
        mixinStandardHelpOptions = true,
        header = "Acts on the caches of every process that uses the database.",
        description = "Acts on the caches of every running bot and tool that follows the database's change feed.",
        subcommands = CacheCommand.Clear.class)
final class CacheCommand {

    @ParentCommand
    Root root;

    /** {@code configstore cache clear}. */
    @Command(
            name = "clear",
            mixinStandardHelpOptions = true,
            header = "Drops cached entries in every process on the database.",
            description = "Records a cache clear in the database's change log: every process following the change"
                    + " feed drops the entries it covers within the feed's delay, counts it and logs who asked."
                    + " Stored values do not change; the next read of a dropped entry reads the database. Without"
                    + " options, every cache of every store is cleared; --guild clears one guild's settings"
                    + " (built-in and declared); --namespace clears every key of one key-value namespace.",
            footer = {
                "",
                "Examples:",
                "  configstore cache clear",
                "  configstore cache clear --guild 123456789012345678",
                "  configstore cache clear --namespace welcome --by alice"
            })
    static final class Clear implements Callable<Integer> {

        @ParentCommand
        CacheCommand cache;

        @Option(names = "--guild", paramLabel = "GUILD", description = "Clear only this guild's entries.")
        @Nullable
        String guild;

        @Option(
                names = "--namespace",
                paramLabel = "NAMESPACE",
                description = "Clear only this key-value namespace's entries.")
        @Nullable
        String namespace;

        @Override
        public Integer call() {
            Root root = cache.root;
            CacheClear what = what();
            // --by (every command's): who asks, for the processes' logs.
            String who = root.actor();
            try (ConfigStore store = root.open()) {
                store.clearCaches(what, who);
            }
            if (root.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("scope", what.scope().name().toLowerCase(Locale.ROOT));
                json.put("target", what.target());
                json.put("by", who.strip());
                root.printJson(json);
            } else {
                root.out.println("Cleared " + describe(what) + " in every process following " + root.shownDatabase()
                        + ", as asked by " + who.strip() + ".");
            }
            return Cli.OK;
        }

        private CacheClear what() {
            if (guild != null && namespace != null) {
                throw new IllegalArgumentException("--guild and --namespace cannot be used together: key-value"
                        + " namespaces are not kept per guild. Run the command once with each.");
            }
            if (guild != null) {
                return CacheClear.guild(guild);
            }
            return namespace != null ? CacheClear.namespace(namespace) : CacheClear.all();
        }

        private static String describe(CacheClear what) {
            return switch (what.scope()) {
                case ALL -> "every cache";
                case GUILD -> "the cached settings of guild " + what.target();
                case NAMESPACE -> "the cached keys of key-value namespace " + what.target();
            };
        }
    }
}
