export const TARGET_ORDER = ['mock', 'mock-http', 'prism-proxy', 'sandbox', 'sandbox-selftest']
