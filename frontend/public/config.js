// Runtime configuration. The server that hosts the built app replaces this file (esg/web.py
// writes one for the local profiles); these defaults read the API from the same origin and
// offer no development account.
window.ESG_CONFIG = window.ESG_CONFIG || {};
