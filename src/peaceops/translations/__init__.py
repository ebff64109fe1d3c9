"""The `peaceops translations` verb: check and stamp the translations of data/i18n/.

The work is done by `peaceops.content.translations`; this package is its command line."""
