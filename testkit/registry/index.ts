export { startRegistry, TEST_USER, type RegistryOptions, type TestRegistry, type TokenAuthOptions } from './start.js';
