/*
 * Sensor type, event offset and unit words: IPMI v2.0 tables 42-2, 42-3
 * and 43-15.  Offset texts follow the short forms operators know from
 * ipmitool ("Presence detected", "Power Supply AC lost").
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "evtext.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Table 42-3, sensor type codes 00h-2Ch. */
static const char *const evtext_types[] = {
	"Reserved",			/* 00h */
	"Temperature",			/* 01h */
	"Voltage",			/* 02h */
	"Current",			/* 03h */
	"Fan",				/* 04h */
	"Physical Security",		/* 05h */
	"Platform Security Violation Attempt", /* 06h */
	"Processor",			/* 07h */
	"Power Supply",			/* 08h */
	"Power Unit",			/* 09h */
	"Cooling Device",		/* 0Ah */
	"Other Units Based Sensor",	/* 0Bh */
	"Memory",			/* 0Ch */
	"Drive Slot",			/* 0Dh */
	"POST Memory Resize",		/* 0Eh */
	"System Firmware Progress",	/* 0Fh */
	"Event Logging Disabled",	/* 10h */
	"Watchdog 1",			/* 11h */
	"System Event",			/* 12h */
	"Critical Interrupt",		/* 13h */
	"Button/Switch",		/* 14h */
	"Module/Board",			/* 15h */
	"Microcontroller/Coprocessor",	/* 16h */
	"Add In Card",			/* 17h */
	"Chassis",			/* 18h */
	"Chip Set",			/* 19h */
	"Other FRU",			/* 1Ah */
	"Cable/Interconnect",		/* 1Bh */
	"Terminator",			/* 1Ch */
	"System Boot/Restart Initiated", /* 1Dh */
	"Boot Error",			/* 1Eh */
	"Base OS Boot/Installation Status", /* 1Fh */
	"OS Stop/Shutdown",		/* 20h */
	"Slot/Connector",		/* 21h */
	"System ACPI Power State",	/* 22h */
	"Watchdog 2",			/* 23h */
	"Platform Alert",		/* 24h */
	"Entity Presence",		/* 25h */
	"Monitor ASIC/IC",		/* 26h */
	"LAN",				/* 27h */
	"Management Subsystem Health",	/* 28h */
	"Battery",			/* 29h */
	"Session Audit",		/* 2Ah */
	"Version Change",		/* 2Bh */
	"FRU State",			/* 2Ch */
};

const char *
evtext_sensor_type(uint8_t t)
{
	if (t < NELEM(evtext_types))
		return evtext_types[t];
	if (t >= 0xc0)
		return "OEM reserved";
	return "Unknown";
}

/* Table 43-13: entity ID codes. */
static const char *const evtext_entities[] = {
	[0x00] = "Unspecified", [0x01] = "Other", [0x02] = "Unknown",
	[0x03] = "Processor", [0x04] = "Disk or Disk Bay",
	[0x05] = "Peripheral Bay", [0x06] = "System Management Module",
	[0x07] = "System Board", [0x08] = "Memory Module",
	[0x09] = "Processor Module", [0x0a] = "Power Supply",
	[0x0b] = "Add-in Card", [0x0c] = "Front Panel Board",
	[0x0d] = "Back Panel Board", [0x0e] = "Power System Board",
	[0x0f] = "Drive Backplane", [0x10] = "System Internal Expansion Board",
	[0x11] = "Other System Board", [0x12] = "Processor Board",
	[0x13] = "Power Unit", [0x14] = "Power Module",
	[0x15] = "Power Management", [0x16] = "Chassis Back Panel Board",
	[0x17] = "System Chassis", [0x18] = "Sub-Chassis",
	[0x19] = "Other Chassis Board", [0x1a] = "Disk Drive Bay",
	[0x1b] = "Peripheral Bay", [0x1c] = "Device Bay",
	[0x1d] = "Fan Device", [0x1e] = "Cooling Unit",
	[0x1f] = "Cable/Interconnect", [0x20] = "Memory Device",
	[0x21] = "System Management Software", [0x22] = "System Firmware",
	[0x23] = "Operating System", [0x24] = "System Bus",
	[0x25] = "Group", [0x26] = "Remote Management Communication Device",
	[0x27] = "External Environment", [0x28] = "Battery",
	[0x29] = "Processing Blade", [0x2a] = "Connectivity Switch",
	[0x2b] = "Processor/Memory Module", [0x2c] = "I/O Module",
	[0x2d] = "Processor/IO Module",
	[0x2e] = "Management Controller Firmware", [0x2f] = "IPMI Channel",
	[0x30] = "PCI Bus", [0x31] = "PCI Express Bus", [0x32] = "SCSI Bus",
	[0x33] = "SATA/SAS Bus", [0x34] = "Processor/Front-Side Bus",
	[0x35] = "Real Time Clock", [0x37] = "Air Inlet",
	[0x40] = "Air Inlet", [0x41] = "Processor", [0x42] = "Baseboard",
};

const char *
evtext_entity(uint8_t id)
{
	if (id < NELEM(evtext_entities) && evtext_entities[id] != NULL)
		return evtext_entities[id];
	if (id >= 0x90 && id <= 0xaf)
		return "Chassis-specific";
	if (id >= 0xb0 && id <= 0xcf)
		return "Board-set specific";
	if (id >= 0xd0)
		return "OEM System Integrator defined";
	return "Unknown";
}

/* compare ignoring case, with '_' equal to ' ' */
static int
evtext_name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int ca = *a == '_' ? ' ' : tolower((unsigned char)*a);
		int cb = *b == '_' ? ' ' : tolower((unsigned char)*b);

		if (ca != cb)
			return 0;
	}
	return *a == *b;
}

int
evtext_sensor_type_parse(const char *s)
{
	size_t i;

	for (i = 1; i < NELEM(evtext_types); i++)
		if (evtext_name_eq(s, evtext_types[i]))
			return (int)i;
	return -1;
}

/* Table 42-2: threshold (01h) offsets. */
static const char *const evtext_thr[] = {
	"Lower Non-critical going low", "Lower Non-critical going high",
	"Lower Critical going low", "Lower Critical going high",
	"Lower Non-recoverable going low", "Lower Non-recoverable going high",
	"Upper Non-critical going low", "Upper Non-critical going high",
	"Upper Critical going low", "Upper Critical going high",
	"Upper Non-recoverable going low", "Upper Non-recoverable going high",
};

/* Table 42-2: generic discrete types 02h-0Ch, 15 offsets each. */
static const char *const evtext_generic[][15] = {
	[0x02 - 2] = { "Transition to Idle", "Transition to Active",
	    "Transition to Busy" },
	[0x03 - 2] = { "State Deasserted", "State Asserted" },
	[0x04 - 2] = { "Predictive Failure Deasserted",
	    "Predictive Failure Asserted" },
	[0x05 - 2] = { "Limit Not Exceeded", "Limit Exceeded" },
	[0x06 - 2] = { "Performance Met", "Performance Lags" },
	[0x07 - 2] = { "Transition to OK",
	    "Transition to Non-critical from OK",
	    "Transition to Critical from less severe",
	    "Transition to Non-recoverable from less severe",
	    "Transition to Non-critical from more severe",
	    "Transition to Critical from Non-recoverable",
	    "Transition to Non-recoverable", "Monitor", "Informational" },
	[0x08 - 2] = { "Device Absent", "Device Present" },
	[0x09 - 2] = { "Device Disabled", "Device Enabled" },
	[0x0a - 2] = { "Transition to Running", "Transition to In Test",
	    "Transition to Power Off", "Transition to On Line",
	    "Transition to Off Line", "Transition to Off Duty",
	    "Transition to Degraded", "Transition to Power Save",
	    "Install Error" },
	[0x0b - 2] = { "Fully Redundant", "Redundancy Lost",
	    "Redundancy Degraded",
	    "Non-Redundant: Sufficient from Redundant",
	    "Non-Redundant: Sufficient from Insufficient",
	    "Non-Redundant: Insufficient Resources",
	    "Redundancy Degraded from Fully Redundant",
	    "Redundancy Degraded from Non-Redundant" },
	[0x0c - 2] = { "D0 Power State", "D1 Power State", "D2 Power State",
	    "D3 Power State" },
};

/* Table 42-3: sensor-specific (6Fh) offsets by sensor type. */
static const char *const evtext_specific[][15] = {
	[0x05] = { "General Chassis intrusion", "Drive Bay intrusion",
	    "I/O Card area intrusion", "Processor area intrusion",
	    "LAN Leash Lost", "Unauthorized dock", "FAN area intrusion" },
	[0x06] = { "Front Panel Lockout violation attempted",
	    "Pre-boot password violation - user password",
	    "Pre-boot password violation - setup password",
	    "Pre-boot password violation - network boot password",
	    "Other pre-boot password violation",
	    "Out-of-band access password violation" },
	[0x07] = { "IERR", "Thermal Trip", "FRB1/BIST failure",
	    "FRB2/Hang in POST failure",
	    "FRB3/Processor startup/init failure", "Configuration Error",
	    "SM BIOS Uncorrectable CPU-complex Error", "Presence detected",
	    "Disabled", "Terminator presence detected", "Throttled",
	    "Uncorrectable machine check exception",
	    "Correctable machine check error" },
	[0x08] = { "Presence detected", "Failure detected",
	    "Predictive failure", "Power Supply AC lost",
	    "AC lost or out-of-range", "AC out-of-range, but present",
	    "Config Error", "Power Supply Inactive" },
	[0x09] = { "Power off/down", "Power cycle", "240VA power down",
	    "Interlock power down", "AC lost", "Soft-power control failure",
	    "Failure detected", "Predictive failure" },
	[0x0c] = { "Correctable ECC", "Uncorrectable ECC", "Parity",
	    "Memory Scrub Failed", "Memory Device Disabled",
	    "Correctable ECC logging limit reached", "Presence Detected",
	    "Configuration Error", "Spare", "Throttled",
	    "Critical Overtemperature" },
	[0x0d] = { "Drive Present", "Drive Fault", "Predictive Failure",
	    "Hot Spare", "Parity Check In Progress", "In Critical Array",
	    "In Failed Array", "Rebuild In Progress", "Rebuild Aborted" },
	[0x0f] = { "System Firmware Error", "System Firmware Hang",
	    "System Firmware Progress" },
	[0x10] = { "Correctable memory error logging disabled",
	    "Event logging disabled", "Log area reset/cleared",
	    "All event logging disabled", "Log full", "Log almost full",
	    "Correctable Machine Check Error Logging Disabled" },
	[0x11] = { "BIOS Reset", "OS Reset", "OS Shut Down", "OS Power Down",
	    "OS Power Cycle", "OS NMI/Diag Interrupt", "OS Expired",
	    "OS pre-timeout Interrupt" },
	[0x12] = { "System Reconfigured", "OEM System boot event",
	    "Undetermined system hardware failure",
	    "Entry added to auxiliary log", "PEF Action",
	    "Timestamp Clock Sync" },
	[0x13] = { "NMI/Diag Interrupt", "Bus Timeout",
	    "I/O Channel check NMI", "Software NMI", "PCI PERR", "PCI SERR",
	    "EISA failsafe timeout", "Bus Correctable error",
	    "Bus Uncorrectable error", "Fatal NMI", "Bus Fatal Error",
	    "Bus Degraded" },
	[0x14] = { "Power Button pressed", "Sleep Button pressed",
	    "Reset Button pressed", "FRU Latch open",
	    "FRU Service request button" },
	[0x19] = { "Soft Power Control Failure", "Thermal Trip" },
	[0x1b] = { "Connected", "Config Error" },
	[0x1d] = { "Initiated by power up", "Initiated by hard reset",
	    "Initiated by warm reset", "User requested PXE boot",
	    "Automatic boot to diagnostic", "OS initiated hard reset",
	    "OS initiated warm reset", "System Restart" },
	[0x1e] = { "No bootable media", "Non-bootable disk in drive",
	    "PXE server not found", "Invalid boot sector",
	    "Timeout waiting for selection" },
	[0x1f] = { "A: boot completed", "C: boot completed",
	    "PXE boot completed", "Diagnostic boot completed",
	    "CD-ROM boot completed", "ROM boot completed",
	    "boot completed - device not specified",
	    "Installation started", "Installation completed",
	    "Installation aborted", "Installation failed" },
	[0x20] = { "Error during system startup", "Run-time critical stop",
	    "OS graceful stop", "OS graceful shutdown",
	    "PEF initiated soft shutdown", "Agent not responding" },
	[0x21] = { "Fault Status", "Identify Status", "Device Installed",
	    "Ready for Device Installation", "Ready for Device Removal",
	    "Slot Power is Off", "Device Removal Request", "Interlock",
	    "Slot is Disabled", "Spare Device" },
	[0x22] = { "S0/G0: working",
	    "S1: sleeping with system hw & processor context maintained",
	    "S2: sleeping, processor context lost",
	    "S3: sleeping, processor & hw context lost, memory retained",
	    "S4: non-volatile sleep/suspend-to-disk", "S5/G2: soft-off",
	    "S4/S5: soft-off", "G3: mechanical off",
	    "Sleeping in S1/S2/S3 state", "G1: sleeping",
	    "S5: entered by override", "Legacy ON state",
	    "Legacy OFF state", NULL, "Unknown" },	/* 0Dh not defined */
	[0x23] = { "Timer expired", "Hard reset", "Power down",
	    "Power cycle", NULL, NULL, NULL, NULL, "Timer interrupt" },
	[0x24] = { "Platform generated page", "Platform generated LAN alert",
	    "Platform Event Trap generated",
	    "Platform generated SNMP trap, OEM format" },
	[0x25] = { "Present", "Absent", "Disabled" },
	[0x27] = { "Heartbeat Lost", "Heartbeat" },
	[0x28] = { "Sensor access degraded or unavailable",
	    "Controller access degraded or unavailable",
	    "Management controller off-line",
	    "Management controller unavailable", "Sensor failure",
	    "FRU failure" },
	[0x29] = { "Low", "Failed", "Presence Detected" },
	[0x2a] = { "Session Activated", "Session Deactivated",
	    "Invalid Username or Password", "Invalid password disable" },
	[0x2b] = { "Hardware change detected",
	    "Firmware or software change detected",
	    "Hardware incompatibility detected",
	    "Firmware or software incompatibility detected",
	    "Invalid or unsupported hardware version",
	    "Invalid or unsupported firmware or software version",
	    "Hardware change success", "Firmware or software change success" },
	[0x2c] = { "Not Installed", "Inactive", "Activation Requested",
	    "Activation in Progress", "Active", "Deactivation Requested",
	    "Deactivation in Progress", "Communication lost" },
};

const char *
evtext_offset(uint8_t event_type, uint8_t sensor_type, uint8_t offset)
{
	if (offset >= 15)
		return NULL;
	if (event_type == EVTEXT_THRESHOLD)
		return offset < NELEM(evtext_thr) ? evtext_thr[offset] : NULL;
	if (event_type >= EVTEXT_GENERIC_FIRST &&
	    event_type <= EVTEXT_GENERIC_LAST)
		return evtext_generic[event_type - 2][offset];
	if (event_type == EVTEXT_SPECIFIC && sensor_type <
	    NELEM(evtext_specific))
		return evtext_specific[sensor_type][offset];
	return NULL;
}

/* Table 43-15, unit type codes 0-92. */
static const char *const evtext_units[] = {
	"unspecified", "degrees C", "degrees F", "degrees K", "Volts", "Amps",
	"Watts", "Joules", "Coulombs", "VA", "Nits", "lumen", "lux",
	"Candela", "kPa", "PSI", "Newton", "CFM", "RPM", "Hz", "microsecond",
	"millisecond", "second", "minute", "hour", "day", "week", "mil",
	"inches", "feet", "cu in", "cu feet", "mm", "cm", "m", "cu cm",
	"cu m", "liters", "fluid ounce", "radians", "steradians",
	"revolutions", "cycles", "gravities", "ounce", "pound", "ft-lb",
	"oz-in", "gauss", "gilberts", "henry", "millihenry", "farad",
	"microfarad", "ohms", "siemens", "mole", "becquerel", "PPM",
	"reserved", "Decibels", "DbA", "DbC", "gray", "sievert",
	"color temp deg K", "bit", "kilobit", "megabit", "gigabit", "byte",
	"kilobyte", "megabyte", "gigabyte", "word", "dword", "qword", "line",
	"hit", "miss", "retry", "reset", "overflow", "underrun", "collision",
	"packets", "messages", "characters", "error", "correctable error",
	"uncorrectable error", "fatal error", "grams",
};

const char *
evtext_unit(uint8_t u)
{
	return u < NELEM(evtext_units) ? evtext_units[u] : NULL;
}

const char *
evtext_rate(uint8_t r)
{
	static const char *const rates[] = {
		"", "per microsecond", "per millisecond", "per second",
		"per minute", "per hour", "per day"
	};

	return r < NELEM(rates) ? rates[r] : NULL;
}
