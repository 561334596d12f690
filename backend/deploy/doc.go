// Package deploy has no code of its own: it exists for its tests, which check
// the deployment files at the repository root (docker-compose.yml, Dockerfile)
// and that README.md documents every GRIDCC_* variable they set.
//
// Docker does not run on the development and CI machines, so `docker compose
// up` cannot be part of the test command; these tests are what keeps the
// compose file and the Dockerfile from drifting between the times someone runs
// them for real.
package deploy
