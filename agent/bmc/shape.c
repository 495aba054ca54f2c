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
		fprintf(f, " hyst=+%u/-%u", it->hyst_pos, it->hyst_neg);
		if (it->mismatch)
			fprintf(f, " (BMC state differs from thresholds)");
	}
	fprintf(f, "\n");
}

void
shape_sensor_json(struct json *j, const struct sensors_item *it, int verbose)
{
	const char *words[SHAPE_WORDS_MAX];
	char tmp[SHAPE_WORDS_MAX][16], unit[64], ent[16], note[160];
	size_t n, k;

	json_obj_begin(j, NULL);
	json_str(j, "name", it->name);
	json_int(j, "number", it->number);
	json_int(j, "owner", it->owner);
	json_int(j, "lun", it->lun);
	json_int(j, "record_id", it->record_id);
	json_str(j, "type", evtext_sensor_type(it->sensor_type));
	(void)snprintf(ent, sizeof(ent), "%u.%u", (unsigned)it->entity_id,
	    (unsigned)(it->entity_instance & 0x7f));
	json_str(j, "entity", ent);
	if (it->have_value)
		json_num(j, "reading", it->value, it->decimals);
	else
		json_null(j, "reading");
	sensors_unit(it, unit, sizeof(unit));
	if (it->threshold && it->analog)
		json_str(j, "unit", unit);
	else
		json_null(j, "unit");
	/* how state and events read: comparison status or discrete
	 * offsets (event/reading type 01h or not) */
	json_str(j, "reading_type", it->threshold ? "threshold" :
	    "discrete");
	json_str(j, "state", sensor_sev_name(it->sev));
	/* the BMC's state bits (offsets 0-14; threshold sensors:
	 * comparison status), null without a reading */
	if (it->note == SENSORS_NOTE_NONE && it->nstates > 0)
		json_int(j, "state_bits", it->states);
	else
		json_null(j, "state_bits");
	json_arr_begin(j, "events");
	n = sensors_events(it, words, tmp, SHAPE_WORDS_MAX);
	for (k = 0; k < n; k++)
		json_str(j, NULL, words[k]);
	json_arr_end(j);
	json_obj_begin(j, "thresholds");
	for (k = 0; k < SDR_THR_N; k++)
		if (it->threshold && it->analog && (it->thr_mask & (1u << k)))
			json_num(j, shape_thr_keys[k], it->thr[k],
			    it->decimals);
	json_obj_end(j);
	if (it->note != SENSORS_NOTE_NONE) {
		sensors_note_text(it, note, sizeof(note));
		json_str(j, "note", note);
	} else if (it->events_disabled)
		json_str(j, "note", "event messages disabled");
	else
		json_null(j, "note");
	if (verbose && it->threshold && it->analog) {
		json_arr_begin(j, "thresholds_settable");
		for (k = 0; k < SDR_THR_N; k++)
			if (SDR_THR_ACCESS(it->rec) == SDR_THRACC_SETTABLE &&
			    (SDR_THR_SETTABLE(it->rec) & (1u << k)))
				json_str(j, NULL, shape_thr_keys[k]);
		json_arr_end(j);
		json_int(j, "hysteresis_positive", it->hyst_pos);
		json_int(j, "hysteresis_negative", it->hyst_neg);
		json_bool(j, "state_mismatch", it->mismatch);
	}
	json_obj_end(j);
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

void
shape_chassis_text(FILE *f, const struct chassis_status *s)
{
	fprintf(f, "System Power         : %s\n", s->power_on ? "on" : "off");
	fprintf(f, "Power Overload       : %s\n", shape_tf(s->overload));
	fprintf(f, "Power Interlock      : %s\n", shape_act(s->interlock));
	fprintf(f, "Main Power Fault     : %s\n", shape_tf(s->main_fault));
	fprintf(f, "Power Control Fault  : %s\n",
	    shape_tf(s->control_fault));
	fprintf(f, "Power Restore Policy : %s\n",
	    chassis_restore_name(s->restore_policy));
	fprintf(f, "Last Power Event     : %s%s%s%s%s\n",
	    s->last_ac_failed ? "ac-failed " : "",
	    s->last_overload ? "overload " : "",
	    s->last_interlock ? "interlock " : "",
	    s->last_fault ? "fault " : "",
	    s->last_command ? "command" : "");
	fprintf(f, "Chassis Intrusion    : %s\n", shape_act(s->intrusion));
	fprintf(f, "Front-Panel Lockout  : %s\n", shape_act(s->lockout));
	fprintf(f, "Drive Fault          : %s\n", shape_tf(s->drive_fault));
	fprintf(f, "Cooling/Fan Fault    : %s\n", shape_tf(s->fan_fault));
	if (s->has_buttons) {
		if (s->raw[3] == 0)
			fprintf(f, "Front Panel Control  : none\n");
		else {
			const char *al = "allowed", *na = "not allowed";

			fprintf(f, "Sleep Button Disable : %s\n",
			    s->sleep_disable_allowed ? al : na);
			fprintf(f, "Diag Button Disable  : %s\n",
			    s->diag_disable_allowed ? al : na);
			fprintf(f, "Reset Button Disable : %s\n",
			    s->reset_disable_allowed ? al : na);
			fprintf(f, "Power Button Disable : %s\n",
			    s->power_disable_allowed ? al : na);
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
	if (s->identify_supported)
		fprintf(f, "Chassis Identify     : %s\n",
		    chassis_identify_name(s->identify_state));
}

void
shape_chassis_json(struct json *j, const struct chassis_status *s)
{
	json_str(j, "system_power", s->power_on ? "on" : "off");
	json_bool(j, "power_overload", s->overload);
	json_bool(j, "power_interlock", s->interlock);
	json_bool(j, "main_power_fault", s->main_fault);
	json_bool(j, "power_control_fault", s->control_fault);
	json_str(j, "power_restore_policy",
	    chassis_restore_name(s->restore_policy));
	json_arr_begin(j, "last_power_event");
	if (s->last_ac_failed)
		json_str(j, NULL, "ac-failed");
	if (s->last_overload)
		json_str(j, NULL, "overload");
	if (s->last_interlock)
		json_str(j, NULL, "interlock");
	if (s->last_fault)
		json_str(j, NULL, "fault");
	if (s->last_command)
		json_str(j, NULL, "command");
	json_arr_end(j);
	json_bool(j, "chassis_intrusion", s->intrusion);
	json_bool(j, "front_panel_lockout", s->lockout);
	json_bool(j, "drive_fault", s->drive_fault);
	json_bool(j, "cooling_fan_fault", s->fan_fault);
	json_bool(j, "identify_supported", s->identify_supported);
	if (s->identify_supported)
		json_str(j, "identify_state",
		    chassis_identify_name(s->identify_state));
	else
		json_null(j, "identify_state");
	if (s->has_buttons) {
		json_obj_begin(j, "front_panel");
		json_bool(j, "sleep_button_disable_allowed",
		    s->sleep_disable_allowed);
		json_bool(j, "diag_button_disable_allowed",
		    s->diag_disable_allowed);
		json_bool(j, "reset_button_disable_allowed",
		    s->reset_disable_allowed);
		json_bool(j, "power_button_disable_allowed",
		    s->power_disable_allowed);
		json_bool(j, "sleep_button_disabled", s->sleep_disabled);
		json_bool(j, "diag_button_disabled", s->diag_disabled);
		json_bool(j, "reset_button_disabled", s->reset_disabled);
		json_bool(j, "power_button_disabled", s->power_disabled);
		json_obj_end(j);
	} else
		json_null(j, "front_panel");
	json_hex(j, "raw", s->raw, s->raw_len);
}

/* ---- watchdog get ----------------------------------------------------- */

void
shape_wdt_text(FILE *f, const struct wdt_timer *t)
{
	unsigned i;

	fprintf(f, "Watchdog Timer Use:     %s (0x%02x)\n",
	    wdt_use_name(t->use), t->raw[0]);
	fprintf(f, "Watchdog Timer Is:      %s\n", t->running ?
	    "Started/Running" : "Stopped");
	fprintf(f, "Watchdog Timer Logging: %s\n", t->dont_log ? "Off" :
	    "On");
	fprintf(f, "Watchdog Timer Action:  %s (0x%02x)\n",
	    wdt_action_name(t->action), t->raw[1]);
	fprintf(f, "Pre-timeout interrupt:  %s\n", wdt_pre_name(t->pre_int));
	fprintf(f, "Pre-timeout interval:   %u seconds\n", t->pretimeout);
	fprintf(f, "Timer Expiration Flags: %s(0x%02x)\n", t->expired ? "" :
	    "None ", t->expired);
	for (i = 1; i < 6; i++)
		if (t->expired & (1u << i))
			fprintf(f, "                        * %s\n",
			    wdt_use_name((uint8_t)i));
	fprintf(f, "Initial Countdown:      %u.%u sec\n", t->initial / 10u,
	    t->initial % 10u);
	if (t->has_present)
		fprintf(f, "Present Countdown:      %u.%u sec\n",
		    t->present / 10u, t->present % 10u);
	else
		fprintf(f, "Present Countdown:      unknown (the BMC's "
		    "answer stops short)\n");
}

void
shape_wdt_json(struct json *j, const struct wdt_timer *t)
{
	unsigned i;

	json_str(j, "timer_use", wdt_use_key(t->use));
	json_str(j, "timer_use_text", wdt_use_name(t->use));
	json_bool(j, "running", t->running);
	json_bool(j, "logging", !t->dont_log);
	json_str(j, "action", wdt_action_key(t->action));
	json_str(j, "action_text", wdt_action_name(t->action));
	json_str(j, "pretimeout_interrupt", wdt_pre_key(t->pre_int));
	json_int(j, "pretimeout_interval_s", t->pretimeout);
	json_arr_begin(j, "expiration_flags");
	for (i = 1; i < 6; i++)
		if (t->expired & (1u << i))
			json_str(j, NULL, wdt_use_key((uint8_t)i));
	json_arr_end(j);
	json_int(j, "expiration_flags_raw", t->expired);
	json_num(j, "initial_countdown_s", t->initial / 10.0, 1);
	if (t->has_present)
		json_num(j, "present_countdown_s", t->present / 10.0, 1);
	else
		json_null(j, "present_countdown_s");
	json_arr_begin(j, "quirks");
	if (t->quirks & WDT_QUIRK_SHORT_GET)
		json_str(j, NULL, "short-get");
	if (t->quirks & WDT_QUIRK_LONG_GET)
		json_str(j, NULL, "long-get");
	json_arr_end(j);
	json_hex(j, "raw", t->raw, t->raw_len);
}

/* ---- info ------------------------------------------------------------- */

void
shape_info_text(FILE *f, const struct shape_info *in)
{
	const struct app_devid *d = &in->d;
	const char *mname = ipmi_iana_name(d->manufacturer);
	unsigned i;

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

void
shape_info_json(struct json *j, const struct shape_info *in)
{
	const struct app_devid *d = &in->d;
	char buf[16];
	unsigned i;

	json_int(j, "device_id", d->device_id);
	json_int(j, "device_revision", d->device_rev);
	(void)snprintf(buf, sizeof(buf), "%u.%02x", d->fw_major, d->fw_minor);
	json_str(j, "firmware_revision", buf);
	(void)snprintf(buf, sizeof(buf), "%x.%x", d->ipmi_version & 0x0f,
	    d->ipmi_version >> 4);
	json_str(j, "ipmi_version", buf);
	json_int(j, "manufacturer_id", d->manufacturer);
	json_str(j, "manufacturer_name", ipmi_iana_name(d->manufacturer));
	json_int(j, "product_id", d->product);
	json_bool(j, "device_available", !d->available);
	json_bool(j, "provides_device_sdrs", d->provides_sdrs);
	json_arr_begin(j, "additional_device_support");
	for (i = 0; i < 8; i++)
		if (d->support & (1u << i))
			json_str(j, NULL, app_devid_support_name(i));
	json_arr_end(j);
	if (d->has_aux)
		json_hex(j, "aux_firmware_rev", d->aux, 4);
	else
		json_null(j, "aux_firmware_rev");
	json_str(j, "device_guid", in->have_devguid ? in->devguid : NULL);
	json_str(j, "system_guid", in->have_sysguid ? in->sysguid : NULL);
	json_hex(j, "device_id_raw", in->raw, in->rawlen);
}
