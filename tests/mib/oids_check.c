/*
 * The index formulas of agent/snmp/oids.h against the numbers the MIB's
 * text gives, passed in by tests/integration/600-mib-lint.sh as
 *	-DMIB_CHANNEL_MUL -DMIB_OWNER_MUL -DMIB_LUN_MUL	(BmcwIpmiSensorKey)
 *	-DMIB_ENT_MUL -DMIB_CHASSIS_KEY			(entPhysicalIndex)
 *	-DMIB_TARGET_MAX -DMIB_KEY_MAX -DMIB_ENT_MAX	(ranges)
 * Also proves the header compiles alone under the project's warnings
 * and that its OID lists initialise oid-like arrays.  Prints "ok -" /
 * "not ok -" lines; exit 1 on a failure.
 */
#include <stdint.h>
#include <stdio.h>

#include "snmp/oids.h"

static int failures;

static void
check(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond)
		failures++;
}

int
main(void)
{
	static const unsigned long root[] = { BMCWATCH_MIB_OID };
	static const unsigned long table[] = { BMCW_SENSOR_TABLE_OID };
	static const unsigned long scalar[] = { BMCW_DAEMON_VERSION_OID, 0 };
	static const unsigned long trap[] = { BMCW_SENSOR_STATE_CHANGE_OID };
	uint32_t c, o, l, n, key, t, max = 0, formula_bad = 0;
	uint64_t ent;
	int ent_bad = 0;

	check(sizeof(root) / sizeof(root[0]) == BMCWATCH_MIB_OID_LEN &&
	    sizeof(table) / sizeof(table[0]) > BMCWATCH_MIB_OID_LEN &&
	    sizeof(scalar) / sizeof(scalar[0]) > BMCWATCH_MIB_OID_LEN &&
	    sizeof(trap) / sizeof(trap[0]) > BMCWATCH_MIB_OID_LEN,
	    "oids.h lists initialise OID arrays; BMCWATCH_MIB_OID_LEN is "
	    "the root's length");

	/* every IPMI identity: the MIB's formula, within the key range */
	for (c = 0; c < 16; c++)
		for (o = 0; o < 256; o++)
			for (l = 0; l < 4; l++)
				for (n = 0; n < 256; n++) {
					key = BMCW_SENSOR_KEY_OF(c, o, l, n);
					if (key != c * MIB_CHANNEL_MUL +
					    o * MIB_OWNER_MUL + l * MIB_LUN_MUL +
					    n)
						formula_bad++;
					if (key > max)
						max = key;
				}
	check(formula_bad == 0,
	    "BMCW_SENSOR_KEY_OF is the MIB's key formula for every channel, "
	    "owner, LUN and number");
	/* distinct keys: the parts do not overlap */
	check(MIB_LUN_MUL >= 256 && MIB_OWNER_MUL >= 4 * MIB_LUN_MUL &&
	    MIB_CHANNEL_MUL >= 256 * MIB_OWNER_MUL,
	    "the key's parts do not overlap (distinct identities, distinct "
	    "keys)");
	check(max == MIB_KEY_MAX && max == BMCW_IPMI_SENSOR_KEY_MAX,
	    "the largest key is the top of BmcwIpmiSensorKey's range");

	check(BMCW_CHASSIS_KEY == MIB_CHASSIS_KEY &&
	    BMCW_CHASSIS_KEY == BMCW_SENSOR_KEY_OF(0, 0, 0, 255),
	    "BMCW_CHASSIS_KEY is the MIB's chassis key (owner 0, number "
	    "FFh)");

	for (t = 1; t <= MIB_TARGET_MAX; t++) {
		const uint32_t ks[] = { 0, BMCW_CHASSIS_KEY,
		    BMCW_SENSOR_KEY_OF(0, 0x20, 0, 1), MIB_KEY_MAX };
		size_t i;

		for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
			ent = (uint64_t)t * MIB_ENT_MUL + ks[i];
			if (ent < 1 || ent > MIB_ENT_MAX ||
			    (uint64_t)BMCW_ENT_INDEX(t, ks[i]) != ent)
				ent_bad++;
		}
	}
	check(ent_bad == 0 && MIB_TARGET_MAX == BMCW_TARGET_ID_MAX,
	    "BMCW_ENT_INDEX is the MIB's entPhysicalIndex formula and stays "
	    "in 1..2147483647 for every target index");
	check(MIB_ENT_MUL == (uint64_t)MIB_KEY_MAX + 1,
	    "entPhysicalIndex ranges of two targets do not overlap");
	return failures ? 1 : 0;
}
