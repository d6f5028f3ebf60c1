package dev.configstore.sqlite;

import dev.configstore.testkit.StoreRaceTests;

class SqliteStoreRaceTest extends StoreRaceTests<String, String> implements SqliteKeyValueFixture {}
