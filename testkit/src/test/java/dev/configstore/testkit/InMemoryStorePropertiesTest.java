package dev.configstore.testkit;

class InMemoryStorePropertiesTest extends StoreProperties<String, String> implements InMemoryFixture {}
