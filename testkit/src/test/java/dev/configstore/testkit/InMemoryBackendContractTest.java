package dev.configstore.testkit;

class InMemoryBackendContractTest extends BackendContractTest<String, String> implements InMemoryFixture {}
