/* IANA Private Enterprise Numbers of BMC vendors, for display. */
#include <stddef.h>

#include "ipmi.h"

static const struct {
	uint32_t	 id;
	const char	*name;
} iana[] = {
	{ 2, "IBM" },
	{ 11, "Hewlett-Packard" },
	{ 42, "Sun Microsystems" },
	{ 94, "Nokia" },
	{ 111, "Oracle" },
	{ 157, "Raritan" },
	{ 186, "Toshiba" },
	{ 311, "Microsoft" },
	{ 343, "Intel Corporation" },
	{ 674, "Dell Inc" },
	{ 2011, "Huawei" },
	{ 4156, "Hewlett Packard Enterprise" },
	{ 4769, "Wistron" },
	{ 6569, "Inventec" },
	{ 7154, "Quanta" },
	{ 10368, "Fujitsu Siemens" },
	{ 10437, "Peppercon AG" },
	{ 10876, "Super Micro Computer Inc" },
	{ 11129, "Google" },
	{ 15370, "Giga-Byte Technology" },
	{ 19046, "Lenovo" },
	{ 20974, "American Megatrends Inc" },
	{ 28458, "Hyve Solutions" },
	{ 32473, "Example Enterprise Number for Documentation Use" },
	{ 40981, "Facebook" },
	{ 49622, "Ampere Computing" },
	{ 52538, "OpenBMC" },
};

const char *
ipmi_iana_name(uint32_t id)
{
	size_t i;

	for (i = 0; i < sizeof(iana) / sizeof(iana[0]); i++)
		if (iana[i].id == id)
			return iana[i].name;
	return NULL;
}
