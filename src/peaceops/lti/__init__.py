"""The course in an LMS through LTI 1.3: launches into the hub (`authenticator`, as deploy/
configures it) and grade passback through Assignment and Grade Services (`passback`), with
the platform described once in `lti.yaml` (`config`). Behind `peaceops lms`."""
