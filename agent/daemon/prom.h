/*
 * The Prometheus export of bmcwatchd: a node_exporter textfile
 * (config: prometheus-textfile), rewritten atomically (tmp, fsync,
 * rename: fileio_replace) on the daemon's "io" work instance after
 * every sweep, never on the loop.  Metric names and labels are those of
 * prometheus-community/ipmi_exporter (ipmi_temperature_celsius,
 * ipmi_fan_speed_rpm, ipmi_voltage_volts, ipmi_current_amperes,
 * ipmi_power_watts and their _state, ipmi_sensor_value/_state with
 * "type", ipmi_sel_entries_count, ipmi_sel_free_space_bytes,
 * ipmi_chassis_power_state, ipmi_up{collector}, ipmi_bmc_info,
 * ipmi_scrape_duration_seconds), each with a "target" label naming the
 * configured target, so that dashboards and alerts written for the
 * exporter work unchanged.
 *
 * The file is rendered on the loop from the store (in memory, cheap)
 * once a second when something was read since the last write, and
 * handed to the worker; a write still in flight is never queued behind:
 * the next render waits for it.
 */
#ifndef PROM_H
#define PROM_H

#include <stdint.h>
#include <stdio.h>

struct ev;
struct store;
struct work;

#define PROM_TICK_MS	1000

struct prom;

/* path NULL: no export (NULL returned); ev, store and io borrowed */
struct prom	*prom_new(struct ev *, struct store *, struct work *io,
		    const char *path);
/* a new path (SIGHUP), NULL stops the export (the old file stays) */
struct prom	*prom_reconf(struct prom *, struct ev *, struct store *,
		    struct work *io, const char *path);
/* the timer goes; a write in flight finishes in work_free.  NULL ok */
void		 prom_free(struct prom *);

/* the exposition text of the store now (now: CLOCK_MONOTONIC ms), to
 * f; pure but for f (tests) */
void		 prom_render(FILE *, const struct store *, uint64_t now);

#endif
