package dev.configstore.sqlite;

import dev.configstore.testkit.BackendContractTest;

class SqliteBackendContractTest extends BackendContractTest<String, String> implements SqliteKeyValueFixture {}
