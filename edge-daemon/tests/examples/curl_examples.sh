# The curl examples of both seeds, one command per line.
# tests/seed_examples.rs replaces the seeds' addresses (device-ip:8585,
# localhost:8585, 10.10.99.98:58090) with the daemon's and runs each line
# with sh; nothing else is changed.
#
# seed 001 (piStat README), verbatim:
curl http://device-ip:8585/
curl http://device-ip:8585/health
curl http://device-ip:8585/stats
curl http://device-ip:8585/processes
curl http://device-ip:8585/network/interfaces
curl http://device-ip:8585/storage/devices
curl http://localhost:8585/health
# seed 000 (tegrastats-api reference): each endpoint under its documented
# base URL http://10.10.99.98:58090/api.
curl http://10.10.99.98:58090/api/health
curl http://10.10.99.98:58090/api/status
curl http://10.10.99.98:58090/api/cpu
curl http://10.10.99.98:58090/api/memory
curl http://10.10.99.98:58090/api/temperature
curl http://10.10.99.98:58090/api/power
