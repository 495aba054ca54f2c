/*
 * The Prometheus textfile's text (agent/daemon/prom.c, prom_render):
 * ipmi_exporter's families by unit, labels id/name/type/target escaped
 * as the exposition format wants, NaN for a missing reading or an
 * unavailable state, every family contiguous with its HELP and TYPE,
 * stale items left out with ipmi_up 0.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "prom.h"
#include "store/store.h"

static struct store_when
at(uint64_t mono_ms)
{
	struct store_when w;

	w.mono_ms = mono_ms;
	w.wall_ms = 1700000000000LL + (int64_t)mono_ms;
	return w;
}

static void
item(struct sensors_item *it, struct sdr_rec *r, const char *name,
    uint16_t id, uint8_t type, int unit, double v, enum sensor_sev sev)
{
	memset(it, 0, sizeof(*it));
	memset(r, 0, sizeof(*r));
	(void)snprintf(it->name, sizeof(it->name), "%s", name);
	it->rec = r;
	it->record_id = id;
	it->sensor_type = type;
	it->sev = sev;
	it->threshold = unit >= 0;
	it->analog = unit >= 0;
	r->unit_base = (uint8_t)(unit >= 0 ? unit : 0);
	it->unit_base = r->unit_base;	/* the item carries its unit */
	it->have_value = !isnan(v);
	it->value = v;
	it->decimals = 1;
}

static char *
render(const struct store *s, uint64_t now)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	prom_render(f, s, now);
	(void)fclose(f);
	return buf;
}

/* every sample's family was the last HELP'ed one, and none twice */
static int
contiguous(const char *text)
{
	char fam[128] = "", seen[4096] = " ";
	const char *p = text;

	while (*p != '\0') {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n > 7 && strncmp(p, "# HELP ", 7) == 0) {
			size_t k = strcspn(p + 7, " ");
			char key[140];

			(void)snprintf(fam, sizeof(fam), "%.*s", (int)k, p + 7);
			(void)snprintf(key, sizeof(key), " %s ", fam);
			if (strstr(seen, key) != NULL)
				return 0;
			if (strlen(seen) + strlen(key) < sizeof(seen))
				(void)snprintf(seen + strlen(seen),
				    sizeof(seen) - strlen(seen), "%s", key + 1);
		} else if (p[0] != '#' && (strncmp(p, fam, strlen(fam)) != 0 ||
		    p[strlen(fam)] != '{'))
			return 0;
		p += n + (e != NULL);
	}
	return 1;
}

static void
test_render(void)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "db\"7");
	struct sensors_item it[5];
	struct sdr_rec r[5];
	struct sel_info si;
	struct chassis_status cs;
	struct store_when w = at(10000);
	char *out;

	store_target_config(t, 10, 10, 10, 0, "lanplus");
	item(&it[0], &r[0], "CPU1 Temp", 1, 0x01, 1, 45.5,
	    SENSOR_SEV_WARNING);
	item(&it[1], &r[1], "FAN\\1", 8, 0x04, 18, NAN, SENSOR_SEV_OK);
	item(&it[2], &r[2], "P12V", 13, 0x02, 4, 12.0, SENSOR_SEV_CRITICAL);
	item(&it[3], &r[3], "Intrusion", 30, 0x05, -1, NAN,
	    SENSOR_SEV_UNAVAILABLE);
	item(&it[4], &r[4], "Airflow", 27, 0x0b, 17, 64.0,
	    SENSOR_SEV_NONRECOVERABLE);
	store_set_sensor_items(s, t, it, 5, &w);
	memset(&si, 0, sizeof(si));
	si.entries = 3;
	si.free_bytes = 15952;
	store_set_sel_info(s, t, &si, 1, &w);
	memset(&cs, 0, sizeof(cs));
	cs.power_on = 1;
	store_set_chassis(s, t, &cs, &w);

	out = render(s, 10500);
	CHECK(contiguous(out));
	CHECK(strstr(out, "# TYPE ipmi_temperature_celsius gauge\n"
	    "ipmi_temperature_celsius{id=\"1\",name=\"CPU1 Temp\","
	    "target=\"db\\\"7\"} 45.5\n") != NULL);
	CHECK(strstr(out, "ipmi_temperature_state{id=\"1\",name=\"CPU1 Temp\","
	    "target=\"db\\\"7\"} 1\n") != NULL);
	/* no reading: NaN; a backslash escaped */
	CHECK(strstr(out, "ipmi_fan_speed_rpm{id=\"8\",name=\"FAN\\\\1\","
	    "target=\"db\\\"7\"} NaN\n") != NULL);
	CHECK(strstr(out, "ipmi_voltage_volts{id=\"13\",name=\"P12V\","
	    "target=\"db\\\"7\"} 12.0\n") != NULL);
	CHECK(strstr(out, "ipmi_voltage_state{id=\"13\",name=\"P12V\","
	    "target=\"db\\\"7\"} 2\n") != NULL);
	/* discrete and unknown units: generic, with the type */
	CHECK(strstr(out, "ipmi_sensor_value{id=\"30\",name=\"Intrusion\","
	    "type=\"Physical Security\",target=\"db\\\"7\"} NaN\n") != NULL);
	CHECK(strstr(out, "ipmi_sensor_state{id=\"30\",name=\"Intrusion\","
	    "type=\"Physical Security\",target=\"db\\\"7\"} NaN\n") != NULL);
	CHECK(strstr(out, "ipmi_sensor_state{id=\"27\",name=\"Airflow\","
	    "type=\"Other Units Based Sensor\",target=\"db\\\"7\"} 2\n") !=
	    NULL);
	CHECK(strstr(out, "ipmi_sel_entries_count{target=\"db\\\"7\"} 3\n") !=
	    NULL);
	CHECK(strstr(out, "ipmi_sel_free_space_bytes{target=\"db\\\"7\"} "
	    "15952\n") != NULL);
	CHECK(strstr(out, "ipmi_chassis_power_state{target=\"db\\\"7\"} 1\n")
	    != NULL);
	CHECK(strstr(out, "ipmi_up{collector=\"ipmi\",target=\"db\\\"7\"} 1\n")
	    != NULL);
	CHECK(strstr(out, "ipmi_current_amperes") == NULL);	/* none */
	free(out);

	/* 25 s later everything read at 10 s is stale (interval 10) */
	out = render(s, 35000);
	CHECK(contiguous(out));
	CHECK(strstr(out, "ipmi_up{collector=\"ipmi\",target=\"db\\\"7\"} 0\n")
	    != NULL);
	CHECK(strstr(out, "ipmi_up{collector=\"sel\",target=\"db\\\"7\"} 0\n")
	    != NULL);
	CHECK(strstr(out, "ipmi_temperature_celsius{") == NULL);
	CHECK(strstr(out, "ipmi_sel_entries_count{") == NULL);
	CHECK(strstr(out, "ipmi_chassis_power_state{") == NULL);
	free(out);
	store_free(s);
}

static void
test_empty(void)
{
	struct store *s = store_new();
	char *out = render(s, 1000);

	CHECK(contiguous(out));
	CHECK(strstr(out, "# TYPE ipmi_up gauge\n") != NULL);
	free(out);
	store_free(s);
}

int
main(void)
{
	RUN(test_render);
	RUN(test_empty);
	return harness_end();
}
