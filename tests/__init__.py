"""The test suite (a package, so that test modules import the shared support as
``tests.support``)."""
