/*
 * The shapes of the SEL model: what `bmcwatch sel info | list | watch'
 * print, in JSON and in text, written here once so that the CLI, the
 * daemon's control socket and every later publisher print one truth.
 *
 * JSON: the functions write MEMBERS into an object the caller opened
 * (jsonw_obj_begin(j, NULL)) and closes; a caller may add members of its
 * own before closing it (the daemon: "target", "age_s", "stale"; `sel
 * watch': "received_ms").  The CLI's document is exactly
 *
 *	jsonw_obj_begin(j, NULL); shape_sel_X(j, ...); jsonw_obj_end(j);
 *	jsonw_end(j);
 *
 * Text: the lines the CLI prints, to f.  Errors on f are the caller's
 * to find (ferror).  Pure otherwise: no request, no clock, no log.
 */
#ifndef SHAPE_SEL_H
#define SHAPE_SEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jsonw.h"
#include "sel.h"

/*
 * sel info: Get SEL Info, with the allocation (Get SEL Allocation Info;
 * NULL when not supported or not read) and the SEL clock (Get SEL Time:
 * 0..FFFFFFFFh, or < 0 when not read).  The warnings come from
 * sel_info_check() and sel_alloc_check().
 * JSON members: version entries free_bytes percent_used last_add
 * last_erase overflow supports_delete supports_partial_add
 * supports_reserve supports_allocation_info [allocation {units unit_size
 * free_units largest_free max_record_units}] sel_time warnings.
 */
void	shape_sel_info(struct jsonw *, const struct sel_info *,
	    const struct sel_alloc *, int64_t sel_time);
void	shape_sel_info_text(FILE *, const struct sel_info *,
	    const struct sel_alloc *, int64_t sel_time);

/*
 * sel info of a Redfish service (bmcwatch -I redfish, and the daemon's
 * socket for an `interface redfish' target): its log services in the
 * place of Get SEL Info.  JSON members: version entries free_bytes
 * percent_used last_add last_erase overflow supports_delete
 * supports_partial_add supports_reserve supports_allocation_info
 * sel_time warnings (what IPMI has and Redfish lacks: null) and
 * log_services [{path owner entries max_records overwrite_policy
 * clear_supported truncated}].  entries is the sum of the services';
 * percent_used that sum of the sum of their MaxNumberOfRecords (null if
 * one does not say); last_add the newest Created seen.
 */
#define SHAPE_RF_LOG_SERVICES	16
#define SHAPE_RF_PATH_MAX	256
struct shape_rf_log_svc {
	char		 path[SHAPE_RF_PATH_MAX];
	int		 manager;	/* a manager's, else the system's */
	unsigned	 entries;
	long		 max_records;	/* -1: not said */
	char		 overwrite[24];	/* OverWritePolicy, "" not said */
	int		 clear_supported; /* ClearLog, and not wrapping */
	int		 truncated;	/* more than could be read */
};
struct shape_rf_sel {
	size_t			 nsvcs;
	struct shape_rf_log_svc	 svc[SHAPE_RF_LOG_SERVICES];
	int			 has_last_add;
	uint32_t		 last_add;	/* seconds since 1970 */
};
/* the sum of the services' entries */
unsigned long	 shape_rf_sel_entries(const struct shape_rf_sel *);
/* percent used as percent_used says it, -1 when unknown */
int		 shape_rf_sel_pct(const struct shape_rf_sel *);
void	shape_rf_sel_info(struct jsonw *, const struct shape_rf_sel *);
void	shape_rf_sel_info_text(FILE *, const struct shape_rf_sel *);

/* shape_sel_entries flags */
#define SHAPE_SEL_OPEN_ONLY	0x01	/* unacknowledged open problems
					 * only (sel list --open) */

/*
 * sel list: n entries, oldest first: rec[i] with its description
 * desc[i] (sel_describe), open[i] (selmon_open_problems; NULL: none
 * open) and acked[i] (acknowledged; NULL: none).  flags filter first,
 * then last > 0 keeps only the newest `last' of what is left (sel list
 * --last N).  JSON: the member "entries", an array of objects as
 * shape_sel_entry writes them with their open and acked flags.  Text:
 * one line per entry.
 */
void	shape_sel_entries(struct jsonw *, const struct sel_rec *,
	    const struct sel_desc *, const uint8_t *open,
	    const uint8_t *acked, size_t n, unsigned flags, size_t last);
void	shape_sel_entries_text(FILE *, const struct sel_rec *,
	    const struct sel_desc *, const uint8_t *open,
	    const uint8_t *acked, size_t n, unsigned flags, size_t last);

/*
 * One entry's members (the object is the caller's): record_id timestamp
 * [preinit_seconds] type record_type sensor generator_id sensor_type
 * sensor_type_name sensor_number event_type offset direction event_data
 * (null for OEM records) [manufacturer_id] [reading] [threshold] event
 * severity kernel_panic open acknowledged raw.  open and acked are 0 or
 * 1, or -1 when not known (`sel watch' sees one event, not the SEL):
 * the key is then left out.
 */
void	shape_sel_entry(struct jsonw *, const struct sel_rec *,
	    const struct sel_desc *, int open, int acked);

/*
 * `sel watch' in text: one line per event message.  The SDR is not read
 * there, so the sensor goes by number.
 */
void	shape_sel_event_text(FILE *, const struct sel_rec *,
	    const struct sel_desc *);

#endif
