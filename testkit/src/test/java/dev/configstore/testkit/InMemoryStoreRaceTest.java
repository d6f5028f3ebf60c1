package dev.configstore.testkit;

class InMemoryStoreRaceTest extends StoreRaceTests<String, String> implements InMemoryFixture {}
