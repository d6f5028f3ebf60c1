package dev.configstore.sqlite;

import dev.configstore.testkit.StoreProperties;

class SqliteStorePropertiesTest extends StoreProperties<String, String> implements SqliteKeyValueFixture {}
