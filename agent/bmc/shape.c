/*
 * The JSON and text shapes of the BMC model (see shape.h): moved here
 * from the CLI's commands so that bmcwatch and bmcwatchd print one truth.
 */
#include <stdio.h>
#include <string.h>

#include "evtext.h"
#include "ipmi.h"
#include "shape.h"

#define SHAPE_WORDS_MAX	15

/* ---- sensors ---------------------------------------------------------- */

static const char *const shape_thr_keys[SDR_THR_N] = {
	"lnc", "lc", "lnr", "unc", "uc", "unr"
};

void
shape_sensor_text(FILE *f, const struct sensors_item *it, int verbose)
{
	static const int order[SDR_THR_N] = { SDR_THR_LNR, SDR_THR_LC,
	    SDR_THR_LNC, SDR_THR_UNC, SDR_THR_UC, SDR_THR_UNR };
	const char *words[SHAPE_WORDS_MAX];
	char tmp[SHAPE_WORDS_MAX][16], unit[64], reading[32], note[160];
	size_t n, k;
	int t;

	sensors_unit(it, unit, sizeof(unit));
	if (it->have_value)
		(void)snprintf(reading, sizeof(reading), "%.*f",
		    it->decimals, it->value);
	else if (!it->threshold && it->note == SENSORS_NOTE_NONE)
		(void)snprintf(reading, sizeof(reading), "discrete");
	else
		(void)snprintf(reading, sizeof(reading), "na");
	fprintf(f, "%-16s | %-10s | %-10s | %-14s |", it->name, reading,
	    unit, sensor_sev_name(it->sev));
	n = sensors_events(it, words, tmp, SHAPE_WORDS_MAX);
	for (k = 0; k < n; k++)
		fprintf(f, "%s %s", k ? "," : "", words[k]);
	if (it->note != SENSORS_NOTE_NONE) {
		sensors_note_text(it, note, sizeof(note));
		fprintf(f, " (%s)", note);
	} else if (it->events_disabled)
		fprintf(f, " (event messages disabled)");
	if (verbose && it->threshold && it->analog) {
		fprintf(f, " |");
		for (k = 0; k < SDR_THR_N; k++) {
			t = order[k];
			if (it->thr_mask & (1u << t))
				fprintf(f, " %s=%.*f", shape_thr_keys[t],
				    it->decimals, it->thr[t]);
		}
		if (!(it->missing & SENSORS_NA_HYST))
			fprintf(f, " hyst=+%u/-%u", it->hyst_pos,
			    it->hyst_neg);
		if (it->mismatch)
			fprintf(f, " (BMC state differs from thresholds)");
	}
	fprintf(f, "\n");
}

void
shape_sensor_json(struct jsonw *j, const struct sensors_item *it, int verbose)
{
	const char *words[SHAPE_WORDS_MAX];
	char tmp[SHAPE_WORDS_MAX][16], unit[64], ent[16], note[160];
	size_t n, k;

	jsonw_obj_begin(j, NULL);
	jsonw_str(j, "name", it->name);
	/* what the backend cannot tell (a Redfish sensor has no SDR) is
	 * null, never a made-up 0 */
	if (it->missing & SENSORS_NA_NUMBER)
		jsonw_null(j, "number");
	else
		jsonw_int(j, "number", it->number);
	if (it->missing & SENSORS_NA_OWNER) {
		jsonw_null(j, "owner");
		jsonw_null(j, "lun");
		jsonw_null(j, "record_id");
	} else {
		jsonw_int(j, "owner", it->owner);
		jsonw_int(j, "lun", it->lun);
		jsonw_int(j, "record_id", it->record_id);
	}
	jsonw_str(j, "type", evtext_sensor_type(it->sensor_type));
	if (it->missing & SENSORS_NA_ENTITY)
		jsonw_null(j, "entity");
	else {
		(void)snprintf(ent, sizeof(ent), "%u.%u",
		    (unsigned)it->entity_id,
		    (unsigned)(it->entity_instance & 0x7f));
		jsonw_str(j, "entity", ent);
	}
	if (it->have_value)
		jsonw_num(j, "reading", it->value, it->decimals);
	else
		jsonw_null(j, "reading");
	sensors_unit(it, unit, sizeof(unit));
	if (it->threshold && it->analog)
		jsonw_str(j, "unit", unit);
	else
		jsonw_null(j, "unit");
	/* how state and events read: comparison status or discrete
	 * offsets (event/reading type 01h or not) */
	jsonw_str(j, "reading_type", it->threshold ? "threshold" :
	    "discrete");
	jsonw_str(j, "state", sensor_sev_name(it->sev));
	/* the BMC's state bits (offsets 0-14; threshold sensors:
	 * comparison status), null without a reading */
	if (it->note == SENSORS_NOTE_NONE && it->nstates > 0)
		jsonw_int(j, "state_bits", it->states);
	else
		jsonw_null(j, "state_bits");
	jsonw_arr_begin(j, "events");
	n = sensors_events(it, words, tmp, SHAPE_WORDS_MAX);
	for (k = 0; k < n; k++)
		jsonw_str(j, NULL, words[k]);
	jsonw_arr_end(j);
	jsonw_obj_begin(j, "thresholds");
	for (k = 0; k < SDR_THR_N; k++)
		if (it->threshold && it->analog && (it->thr_mask & (1u << k)))
			jsonw_num(j, shape_thr_keys[k], it->thr[k],
			    it->decimals);
	jsonw_obj_end(j);
	if (it->note != SENSORS_NOTE_NONE) {
		sensors_note_text(it, note, sizeof(note));
		jsonw_str(j, "note", note);
	} else if (it->events_disabled)
		jsonw_str(j, "note", "event messages disabled");
	else
		jsonw_null(j, "note");
	if (verbose && it->threshold && it->analog) {
		/* from the SDR: a sensor without one (rec NULL) has it
		 * flagged missing, and rec is never looked at */
		if ((it->missing & SENSORS_NA_SETTABLE) || it->rec == NULL)
			jsonw_null(j, "thresholds_settable");
		else {
			jsonw_arr_begin(j, "thresholds_settable");
			for (k = 0; k < SDR_THR_N; k++)
				if (SDR_THR_ACCESS(it->rec) ==
				    SDR_THRACC_SETTABLE &&
				    (SDR_THR_SETTABLE(it->rec) & (1u << k)))
					jsonw_str(j, NULL, shape_thr_keys[k]);
			jsonw_arr_end(j);
		}
		if (it->missing & SENSORS_NA_HYST) {
			jsonw_null(j, "hysteresis_positive");
			jsonw_null(j, "hysteresis_negative");
		} else {
			jsonw_int(j, "hysteresis_positive", it->hyst_pos);
			jsonw_int(j, "hysteresis_negative", it->hyst_neg);
		}
		jsonw_bool(j, "state_mismatch", it->mismatch);
	}
	jsonw_obj_end(j);
}

/* ---- chassis status --------------------------------------------------- */

static const char *
shape_tf(int v)
{
	return v ? "true" : "false";
}

static const char *
shape_act(int v)
{
	return v ? "active" : "inactive";
}

/* a flag the backend could not tell is "unknown" in text, null in JSON */
static const char *
shape_tf_na(int v, uint32_t missing, uint32_t bit)
{
	return (missing & bit) ? "unknown" : shape_tf(v);
}

static const char *
shape_act_na(int v, uint32_t missing, uint32_t bit)
{
	return (missing & bit) ? "unknown" : shape_act(v);
}

static void
shape_bool_na(struct jsonw *j, const char *key, int v, uint32_t missing,
    uint32_t bit)
{
	if (missing & bit)
		jsonw_null(j, key);
	else
		jsonw_bool(j, key, v);
}

void
shape_chassis_text(FILE *f, const struct chassis_status *s, uint32_t na,
    int health)
{
	fprintf(f, "System Power         : %s\n", s->power_on ? "on" : "off");
	fprintf(f, "Power Overload       : %s\n", shape_tf_na(s->overload, na,
	    CHASSIS_NA_OVERLOAD));
	fprintf(f, "Power Interlock      : %s\n", shape_act_na(s->interlock,
	    na, CHASSIS_NA_INTERLOCK));
	fprintf(f, "Main Power Fault     : %s\n", shape_tf_na(s->main_fault,
	    na, CHASSIS_NA_MAIN_FAULT));
	fprintf(f, "Power Control Fault  : %s\n",
	    shape_tf_na(s->control_fault, na, CHASSIS_NA_CONTROL_FAULT));
	fprintf(f, "Power Restore Policy : %s\n", (na & CHASSIS_NA_RESTORE) ?
	    "unknown" : chassis_restore_name(s->restore_policy));
	if (na & CHASSIS_NA_LAST_EVENT)
		fprintf(f, "Last Power Event     : unknown\n");
	else
		fprintf(f, "Last Power Event     : %s%s%s%s%s\n",
		    s->last_ac_failed ? "ac-failed " : "",
		    s->last_overload ? "overload " : "",
		    s->last_interlock ? "interlock " : "",
		    s->last_fault ? "fault " : "",
		    s->last_command ? "command" : "");
	fprintf(f, "Chassis Intrusion    : %s\n", shape_act_na(s->intrusion,
	    na, CHASSIS_NA_INTRUSION));
	fprintf(f, "Front-Panel Lockout  : %s\n", shape_act_na(s->lockout, na,
	    CHASSIS_NA_LOCKOUT));
	fprintf(f, "Drive Fault          : %s\n", shape_tf_na(s->drive_fault,
	    na, CHASSIS_NA_DRIVE_FAULT));
	fprintf(f, "Cooling/Fan Fault    : %s\n", shape_tf_na(s->fan_fault, na,
	    CHASSIS_NA_FAN_FAULT));
	if (s->has_buttons) {
		if (s->raw[3] == 0)
			fprintf(f, "Front Panel Control  : none\n");
		else {
			const char *al = "allowed", *no = "not allowed";

			fprintf(f, "Sleep Button Disable : %s\n",
			    s->sleep_disable_allowed ? al : no);
			fprintf(f, "Diag Button Disable  : %s\n",
			    s->diag_disable_allowed ? al : no);
			fprintf(f, "Reset Button Disable : %s\n",
			    s->reset_disable_allowed ? al : no);
			fprintf(f, "Power Button Disable : %s\n",
			    s->power_disable_allowed ? al : no);
			fprintf(f, "Sleep Button Disabled: %s\n",
			    shape_tf(s->sleep_disabled));
			fprintf(f, "Diag Button Disabled : %s\n",
			    shape_tf(s->diag_disabled));
			fprintf(f, "Reset Button Disabled: %s\n",
			    shape_tf(s->reset_disabled));
			fprintf(f, "Power Button Disabled: %s\n",
			    shape_tf(s->power_disabled));
		}
	}
	/* not printed by ipmitool: only when the BMC reports it */
	if (s->identify_supported && !(na & CHASSIS_NA_IDENTIFY))
		fprintf(f, "Chassis Identify     : %s\n",
		    chassis_identify_name(s->identify_state));
	/* Redfish only: the system's health rollup */
	if (health >= 0)
		fprintf(f, "Health               : %s\n",
		    sensor_sev_name((enum sensor_sev)health));
}

void
shape_chassis_json(struct jsonw *j, const struct chassis_status *s,
    uint32_t na, int health)
{
	jsonw_str(j, "system_power", s->power_on ? "on" : "off");
	shape_bool_na(j, "power_overload", s->overload, na,
	    CHASSIS_NA_OVERLOAD);
	shape_bool_na(j, "power_interlock", s->interlock, na,
	    CHASSIS_NA_INTERLOCK);
	shape_bool_na(j, "main_power_fault", s->main_fault, na,
	    CHASSIS_NA_MAIN_FAULT);
	shape_bool_na(j, "power_control_fault", s->control_fault, na,
	    CHASSIS_NA_CONTROL_FAULT);
	if (na & CHASSIS_NA_RESTORE)
		jsonw_null(j, "power_restore_policy");
	else
		jsonw_str(j, "power_restore_policy",
		    chassis_restore_name(s->restore_policy));
	if (na & CHASSIS_NA_LAST_EVENT)
		jsonw_null(j, "last_power_event");
	else {
		jsonw_arr_begin(j, "last_power_event");
		if (s->last_ac_failed)
			jsonw_str(j, NULL, "ac-failed");
		if (s->last_overload)
			jsonw_str(j, NULL, "overload");
		if (s->last_interlock)
			jsonw_str(j, NULL, "interlock");
		if (s->last_fault)
			jsonw_str(j, NULL, "fault");
		if (s->last_command)
			jsonw_str(j, NULL, "command");
		jsonw_arr_end(j);
	}
	shape_bool_na(j, "chassis_intrusion", s->intrusion, na,
	    CHASSIS_NA_INTRUSION);
	shape_bool_na(j, "front_panel_lockout", s->lockout, na,
	    CHASSIS_NA_LOCKOUT);
	shape_bool_na(j, "drive_fault", s->drive_fault, na,
	    CHASSIS_NA_DRIVE_FAULT);
	shape_bool_na(j, "cooling_fan_fault", s->fan_fault, na,
	    CHASSIS_NA_FAN_FAULT);
	shape_bool_na(j, "identify_supported", s->identify_supported, na,
	    CHASSIS_NA_IDENTIFY);
	if (s->identify_supported && !(na & CHASSIS_NA_IDENTIFY))
		jsonw_str(j, "identify_state",
		    chassis_identify_name(s->identify_state));
	else
		jsonw_null(j, "identify_state");
	if (s->has_buttons) {
		jsonw_obj_begin(j, "front_panel");
		jsonw_bool(j, "sleep_button_disable_allowed",
		    s->sleep_disable_allowed);
		jsonw_bool(j, "diag_button_disable_allowed",
		    s->diag_disable_allowed);
		jsonw_bool(j, "reset_button_disable_allowed",
		    s->reset_disable_allowed);
		jsonw_bool(j, "power_button_disable_allowed",
		    s->power_disable_allowed);
		jsonw_bool(j, "sleep_button_disabled", s->sleep_disabled);
		jsonw_bool(j, "diag_button_disabled", s->diag_disabled);
		jsonw_bool(j, "reset_button_disabled", s->reset_disabled);
		jsonw_bool(j, "power_button_disabled", s->power_disabled);
		jsonw_obj_end(j);
	} else
		jsonw_null(j, "front_panel");
	if (health >= 0)
		jsonw_str(j, "health",
		    sensor_sev_name((enum sensor_sev)health));
	else
		jsonw_null(j, "health");
	if (na & CHASSIS_NA_RAW)
		jsonw_null(j, "raw");
	else
		jsonw_hex(j, "raw", s->raw, s->raw_len);
}

/* ---- watchdog get ----------------------------------------------------- */

/*
 * What Redfish's HostWatchdogTimer lacks (t->missing, WDT_NA_*) is
 * "unknown" in text and null in JSON; IPMI's answer has it all.
 */
void
shape_wdt_text(FILE *f, const struct wdt_timer *t)
{
	const uint32_t na = t->missing;
	unsigned i;

	if (na & WDT_NA_USE)
		fprintf(f, "Watchdog Timer Use:     unknown\n");
	else
		fprintf(f, "Watchdog Timer Use:     %s (0x%02x)\n",
		    wdt_use_name(t->use), t->raw[0]);
	fprintf(f, "Watchdog Timer Is:      %s\n", t->running ?
	    "Started/Running" : "Stopped");
	fprintf(f, "Watchdog Timer Logging: %s\n", (na & WDT_NA_LOGGING) ?
	    "unknown" : t->dont_log ? "Off" : "On");
	if (na & WDT_NA_RAW)
		fprintf(f, "Watchdog Timer Action:  %s\n",
		    wdt_action_name(t->action));
	else
		fprintf(f, "Watchdog Timer Action:  %s (0x%02x)\n",
		    wdt_action_name(t->action), t->raw[1]);
	fprintf(f, "Pre-timeout interrupt:  %s\n", wdt_pre_name(t->pre_int));
	if (na & WDT_NA_PRETIMEOUT)
		fprintf(f, "Pre-timeout interval:   unknown\n");
	else
		fprintf(f, "Pre-timeout interval:   %u seconds\n",
		    t->pretimeout);
	if (na & WDT_NA_EXPIRED)
		fprintf(f, "Timer Expiration Flags: unknown\n");
	else {
		fprintf(f, "Timer Expiration Flags: %s(0x%02x)\n", t->expired ?
		    "" : "None ", t->expired);
		for (i = 1; i < 6; i++)
			if (t->expired & (1u << i))
				fprintf(f, "                        * %s\n",
				    wdt_use_name((uint8_t)i));
	}
	if (na & WDT_NA_COUNTDOWN)
		fprintf(f, "Initial Countdown:      unknown\n");
	else
		fprintf(f, "Initial Countdown:      %u.%u sec\n",
		    t->initial / 10u, t->initial % 10u);
	if (t->has_present)
		fprintf(f, "Present Countdown:      %u.%u sec\n",
		    t->present / 10u, t->present % 10u);
	else if (na & WDT_NA_COUNTDOWN)
		fprintf(f, "Present Countdown:      unknown\n");
	else
		fprintf(f, "Present Countdown:      unknown (the BMC's "
		    "answer stops short)\n");
}

void
shape_wdt_json(struct jsonw *j, const struct wdt_timer *t)
{
	const uint32_t na = t->missing;
	unsigned i;

	if (na & WDT_NA_USE) {
		jsonw_null(j, "timer_use");
		jsonw_null(j, "timer_use_text");
	} else {
		jsonw_str(j, "timer_use", wdt_use_key(t->use));
		jsonw_str(j, "timer_use_text", wdt_use_name(t->use));
	}
	jsonw_bool(j, "running", t->running);
	if (na & WDT_NA_LOGGING)
		jsonw_null(j, "logging");
	else
		jsonw_bool(j, "logging", !t->dont_log);
	jsonw_str(j, "action", wdt_action_key(t->action));
	jsonw_str(j, "action_text", wdt_action_name(t->action));
	jsonw_str(j, "pretimeout_interrupt", wdt_pre_key(t->pre_int));
	if (na & WDT_NA_PRETIMEOUT)
		jsonw_null(j, "pretimeout_interval_s");
	else
		jsonw_int(j, "pretimeout_interval_s", t->pretimeout);
	if (na & WDT_NA_EXPIRED) {
		jsonw_null(j, "expiration_flags");
		jsonw_null(j, "expiration_flags_raw");
	} else {
		jsonw_arr_begin(j, "expiration_flags");
		for (i = 1; i < 6; i++)
			if (t->expired & (1u << i))
				jsonw_str(j, NULL, wdt_use_key((uint8_t)i));
		jsonw_arr_end(j);
		jsonw_int(j, "expiration_flags_raw", t->expired);
	}
	if (na & WDT_NA_COUNTDOWN)
		jsonw_null(j, "initial_countdown_s");
	else
		jsonw_num(j, "initial_countdown_s", t->initial / 10.0, 1);
	if (t->has_present)
		jsonw_num(j, "present_countdown_s", t->present / 10.0, 1);
	else
		jsonw_null(j, "present_countdown_s");
	jsonw_arr_begin(j, "quirks");
	if (t->quirks & WDT_QUIRK_SHORT_GET)
		jsonw_str(j, NULL, "short-get");
	if (t->quirks & WDT_QUIRK_LONG_GET)
		jsonw_str(j, NULL, "long-get");
	jsonw_arr_end(j);
	if (na & WDT_NA_RAW)
		jsonw_null(j, "raw");
	else
		jsonw_hex(j, "raw", t->raw, t->raw_len);
}

/* ---- info ------------------------------------------------------------- */

static void
shape_info_rf_text(FILE *f, const struct shape_info *in)
{
	fprintf(f, "Redfish Version           : %s\n", in->rf_version);
	fprintf(f, "Service UUID              : %s\n", in->rf_service_uuid);
	fprintf(f, "Manager Model             : %s\n", in->rf_manager_model);
	fprintf(f, "Firmware Revision         : %s\n", in->rf_firmware);
	fprintf(f, "Manufacturer Name         : %s\n", in->rf_manufacturer);
	fprintf(f, "System Model              : %s\n", in->rf_model);
	fprintf(f, "System Serial             : %s\n", in->rf_serial);
	fprintf(f, "BIOS Version              : %s\n", in->rf_bios);
	fprintf(f, "Device GUID               : %s\n", in->have_devguid ?
	    in->devguid : "not supported");
	fprintf(f, "System GUID               : %s\n", in->have_sysguid ?
	    in->sysguid : "not supported");
}

void
shape_info_text(FILE *f, const struct shape_info *in)
{
	const struct app_devid *d = &in->d;
	const char *mname = ipmi_iana_name(d->manufacturer);
	unsigned i;

	if (in->redfish) {
		shape_info_rf_text(f, in);
		return;
	}
	fprintf(f, "Device ID                 : %u\n", d->device_id);
	fprintf(f, "Device Revision           : %u\n", d->device_rev);
	fprintf(f, "Firmware Revision         : %u.%02x\n", d->fw_major,
	    d->fw_minor);
	fprintf(f, "IPMI Version              : %x.%x\n",
	    d->ipmi_version & 0x0f, d->ipmi_version >> 4);
	fprintf(f, "Manufacturer ID           : %u\n", d->manufacturer);
	if (mname)
		fprintf(f, "Manufacturer Name         : %s\n", mname);
	else
		fprintf(f, "Manufacturer Name         : Unknown (0x%X)\n",
		    d->manufacturer);
	fprintf(f, "Product ID                : %u (0x%04x)\n", d->product,
	    d->product);
	fprintf(f, "Device Available          : %s\n", d->available ? "no" :
	    "yes");
	fprintf(f, "Provides Device SDRs      : %s\n", d->provides_sdrs ?
	    "yes" : "no");
	fprintf(f, "Additional Device Support :\n");
	for (i = 0; i < 8; i++)
		if (d->support & (1u << i))
			fprintf(f, "    %s\n", app_devid_support_name(i));
	if (d->has_aux) {
		fprintf(f, "Aux Firmware Rev Info     : \n");
		for (i = 0; i < 4; i++)
			fprintf(f, "    0x%02x\n", d->aux[i]);
	}
	fprintf(f, "Device GUID               : %s\n", in->have_devguid ?
	    in->devguid : "not supported");
	fprintf(f, "System GUID               : %s\n", in->have_sysguid ?
	    in->sysguid : "not supported");
}

/* "" is null */
static void
shape_str_or_null(struct jsonw *j, const char *key, const char *v)
{
	if (v[0] == '\0')
		jsonw_null(j, key);
	else
		jsonw_str(j, key, v);
}

static void
shape_info_rf_json(struct jsonw *j, const struct shape_info *in)
{
	static const char *const na[] = { "device_id", "device_revision" };
	static const char *const na2[] = { "ipmi_version", "manufacturer_id" };
	static const char *const na3[] = { "product_id", "device_available",
	    "provides_device_sdrs", "additional_device_support",
	    "aux_firmware_rev" };
	size_t i;

	for (i = 0; i < sizeof(na) / sizeof(na[0]); i++)
		jsonw_null(j, na[i]);
	shape_str_or_null(j, "firmware_revision", in->rf_firmware);
	for (i = 0; i < sizeof(na2) / sizeof(na2[0]); i++)
		jsonw_null(j, na2[i]);
	shape_str_or_null(j, "manufacturer_name", in->rf_manufacturer);
	for (i = 0; i < sizeof(na3) / sizeof(na3[0]); i++)
		jsonw_null(j, na3[i]);
	jsonw_str(j, "device_guid", in->have_devguid ? in->devguid : NULL);
	jsonw_str(j, "system_guid", in->have_sysguid ? in->sysguid : NULL);
	jsonw_null(j, "device_id_raw");
	jsonw_obj_begin(j, "redfish");
	shape_str_or_null(j, "version", in->rf_version);
	shape_str_or_null(j, "service_uuid", in->rf_service_uuid);
	shape_str_or_null(j, "manager_model", in->rf_manager_model);
	shape_str_or_null(j, "system_model", in->rf_model);
	shape_str_or_null(j, "system_serial", in->rf_serial);
	shape_str_or_null(j, "bios_version", in->rf_bios);
	jsonw_obj_end(j);
}

void
shape_info_json(struct jsonw *j, const struct shape_info *in)
{
	const struct app_devid *d = &in->d;
	char buf[16];
	unsigned i;

	if (in->redfish) {
		shape_info_rf_json(j, in);
		return;
	}
	jsonw_int(j, "device_id", d->device_id);
	jsonw_int(j, "device_revision", d->device_rev);
	(void)snprintf(buf, sizeof(buf), "%u.%02x", d->fw_major, d->fw_minor);
	jsonw_str(j, "firmware_revision", buf);
	(void)snprintf(buf, sizeof(buf), "%x.%x", d->ipmi_version & 0x0f,
	    d->ipmi_version >> 4);
	jsonw_str(j, "ipmi_version", buf);
	jsonw_int(j, "manufacturer_id", d->manufacturer);
	jsonw_str(j, "manufacturer_name", ipmi_iana_name(d->manufacturer));
	jsonw_int(j, "product_id", d->product);
	jsonw_bool(j, "device_available", !d->available);
	jsonw_bool(j, "provides_device_sdrs", d->provides_sdrs);
	jsonw_arr_begin(j, "additional_device_support");
	for (i = 0; i < 8; i++)
		if (d->support & (1u << i))
			jsonw_str(j, NULL, app_devid_support_name(i));
	jsonw_arr_end(j);
	if (d->has_aux)
		jsonw_hex(j, "aux_firmware_rev", d->aux, 4);
	else
		jsonw_null(j, "aux_firmware_rev");
	jsonw_str(j, "device_guid", in->have_devguid ? in->devguid : NULL);
	jsonw_str(j, "system_guid", in->have_sysguid ? in->sysguid : NULL);
	jsonw_hex(j, "device_id_raw", in->raw, in->rawlen);
	jsonw_null(j, "redfish");
}
