# bmcwatch -- plain GNU make.  `make`, `make check`, `make demo`,
# `make bench`, `make fuzz`, `make lint`, `make tidy`, `make soak`,
# `make install`, `make clean`,
# `make fresh-check` (the README's commands on a minimal Debian 12 root).
# SAN=1 builds with AddressSanitizer + UBSan into build/san/.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR	?=

CC	?= cc
PKG_CONFIG ?= pkg-config

ifeq ($(SAN),1)
BUILD	?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
else
BUILD	?= build
SANFLAGS =
endif

WARN	= -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wpointer-arith \
	  -Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations \
	  -Wcast-qual -Wwrite-strings -Wno-unused-parameter
CFLAGS	?= -O2 -g
MAKEFLAGS += --no-print-directory
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE $(WARN) $(CFLAGS) \
	  $(SANFLAGS) -pthread -Iagent -Iagent/util -Iagent/ipmi -Iagent/bmc \
	  -Iagent/daemon -Iagent/http -Iplugins \
	  $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
# libcurl and jansson: only agent/http/ is compiled with their flags
# (tests/lint.sh keeps their headers there: curl in agent/http/, jansson
# in rfjson.c)
# libcurl is not linked: agent/http/http.c loads it (dlopen) when the
# first Redfish target or webhook needs it, so a daemon without either
# never maps it (issue 15: 4 MiB of its resident memory)
CURL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
JANSSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || \
	  echo -ljansson)
$(BUILD)/obj/agent/http/%.o: HTTP_CFLAGS = $(CURL_CFLAGS) $(JANSSON_CFLAGS)
# -pthread: agent/util/work.c runs blocking jobs (fsync, getaddrinfo) on
# a worker thread
# CPPFLAGS: a package build's (dpkg-buildflags: -D_FORTIFY_SOURCE=2)
ALL_CFLAGS += $(CPPFLAGS)
# --as-needed: a program that uses no agent/http/ object (the unit tests
# of the IPMI side, the plugins ...) does not load jansson
LDLIBS	= $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto) \
	  -Wl,--as-needed $(JANSSON_LIBS) -Wl,--no-as-needed \
	  -lm -pthread
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

# library code shared by the CLI, the daemon, tests and fuzzers; the
# daemon's main file stays out, so tests link every other daemon object
DAEMON_MAIN = agent/daemon/bmcwatchd.c
LIB_SRCS = $(wildcard agent/util/*.c agent/ipmi/*.c agent/bmc/*.c \
	   agent/store/*.c agent/http/*.c) \
	   agent/snmp/wire.c agent/snmp/mibrows.c \
	   $(filter-out $(DAEMON_MAIN),$(wildcard agent/daemon/*.c)) \
	   agent/ev.c agent/log.c $(PLUGIN_LIB_SRCS)
# the check plugins' shared code (np_ psrc_ pjson_): in the library, so
# unit tests and fuzzers reach it; each plugin is one main file
PLUGIN_LIB_SRCS = plugins/np.c plugins/pjson.c plugins/psrc.c
PLUGIN_NAMES = check_bmc_sensors check_bmc_sel check_bmc_chassis \
	   check_bmc_watchdog check_bmc_agent check_bmc_console
PLUGINS	= $(PLUGIN_NAMES:%=$(BUILD)/%)
PLUGINDIR ?= $(PREFIX)/lib/nagios/plugins
# NO_CURL=1: without libcurl (agent/http/http_none.c refuses every
# client): the static programs of the in-band QEMU guest, which a static
# libcurl and its dependencies cannot be linked into
ifeq ($(NO_CURL),1)
LIB_SRCS := $(filter-out agent/http/http.c,$(LIB_SRCS))
else
LIB_SRCS := $(filter-out agent/http/http_none.c,$(LIB_SRCS))
endif
CLI_SRCS = $(wildcard agent/cli/*.c)
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS = $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
REPLAY_BINS = $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=$(BUILD)/tests/replay_%)
FUZZ_BINS = $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=build/fuzz/fuzz_%)

PROGS	= $(BUILD)/bmcwatch $(BUILD)/bmcwatchd $(BUILD)/bmcwatch-snmp

# the SNMP subagent: the only program linked with net-snmp's agent
# library (-lnetsnmpmibs, which net-snmp-config adds, is not needed)
SNMP_MAIN = agent/snmp/subagent.c
SNMP_LIBS = -lnetsnmpagent -lnetsnmp

.PHONY: all check demo bench soak fuzz lint tidy install clean deps tests unit \
	integration check-san fresh-check

all: $(PROGS) $(PLUGINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(HTTP_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libbmcwatch.a: $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bmcwatch: $(CLI_OBJS) $(BUILD)/libbmcwatch.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libbmcwatch.a $(LDLIBS)

$(BUILD)/bmcwatchd: $(BUILD)/obj/$(DAEMON_MAIN:.c=.o) $(BUILD)/libbmcwatch.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(BUILD)/obj/$(DAEMON_MAIN:.c=.o) \
	    $(BUILD)/libbmcwatch.a $(LDLIBS)

# a plugin starts for every check: --as-needed keeps libcrypto (which
# no plugin object uses) from being loaded each time
# remote mode (-H): plugins/psrc_snmp.c and the SNMP client
# agent/snmp/snmpget.c, with net-snmp's client library only
PLUGIN_SNMP_OBJS = $(BUILD)/obj/plugins/psrc_snmp.o \
	   $(BUILD)/obj/agent/snmp/snmpget.o
$(BUILD)/check_bmc_%: $(BUILD)/obj/plugins/check_bmc_%.o $(PLUGIN_SNMP_OBJS) $(BUILD)/libbmcwatch.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(PLUGIN_SNMP_OBJS) \
	    $(BUILD)/libbmcwatch.a -Wl,--as-needed -lnetsnmp $(LDLIBS)
$(BUILD)/bmcwatch-snmp: $(BUILD)/obj/$(SNMP_MAIN:.c=.o) $(BUILD)/libbmcwatch.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(BUILD)/obj/$(SNMP_MAIN:.c=.o) \
	    $(BUILD)/libbmcwatch.a $(SNMP_LIBS) $(LDLIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libbmcwatch.a $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< \
	    $(BUILD)/libbmcwatch.a $(LDLIBS)

# gcc replay driver: runs a fuzz target over its corpus (no libFuzzer)
$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libbmcwatch.a $(wildcard tests/fuzz/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c \
	    $(BUILD)/libbmcwatch.a $(LDLIBS)

# the SNMP SET fuzz target includes the subagent (agent/snmp/subagent.c)
$(BUILD)/tests/replay_snmpset build/fuzz/fuzz_snmpset: LDLIBS += $(SNMP_LIBS)
$(BUILD)/tests/replay_snmpset build/fuzz/fuzz_snmpset: $(SNMP_MAIN)

# the Redfish test driver (tests/redfish/): the client on the loop
$(BUILD)/tests/rfdrive: tests/redfish/rfdrive.c $(BUILD)/libbmcwatch.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libbmcwatch.a \
	    $(LDLIBS)

tests: $(PROGS) $(PLUGINS) $(UNIT_BINS) $(REPLAY_BINS) $(BUILD)/tests/rfdrive

deps:
	@sh tests/deps.sh

# everything, plain and then under ASan+UBSan; one summary line at the end
# both builds use every CPU; so do the tests (tests/run: JOBS)
NPROC	:= $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
check: deps
	$(MAKE) -j$(NPROC) tests
	$(MAKE) -j$(NPROC) SAN=1 tests
	@bash tests/run

unit: tests
	@bash tests/run unit

integration: tests
	@bash tests/run integration

demo: deps all
	@sh tests/demo.sh

bench: deps all
	@sh tests/bench.sh

# not in check: 5 sims, SEL traffic, a flapping target, for SOAK_SECONDS
SOAK_SECONDS ?= 3600
soak: deps all
	@SOAK_SECONDS=$(SOAK_SECONDS) bash tests/soak.sh

# libFuzzer builds (clang): the library compiled once (build/fuzz/obj/,
# -fsanitize=fuzzer-no-link), each target linked with the fuzzer's main.
# `make fuzz` runs every target (tests/fuzz/run.sh) for FUZZTIME seconds
# or FUZZRUNS executions, whichever comes first (FUZZRUNS=0: no limit),
# FUZZ=NAME... only those; one line of figures per target (executions,
# coverage, features, corpus, seconds, result); a crash, leak or timeout
# stops it with the input saved under build/fuzz/artifacts/.
FUZZTIME ?= 60
FUZZRUNS ?= 0
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 -pthread \
	$(FUZZ_SAN) -Iagent -Iagent/util -Iagent/ipmi -Iagent/bmc \
	-Iagent/daemon -Iagent/http -Iplugins
FUZZ_OBJS = $(LIB_SRCS:%.c=build/fuzz/obj/%.o)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(CURL_CFLAGS) \
	    $(JANSSON_CFLAGS) -MMD -MP -c -o $@ $<

build/fuzz/libfuzz.a: $(FUZZ_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libfuzz.a $(wildcard tests/fuzz/*.h)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libfuzz.a \
	    $(LDLIBS)

fuzz: $(FUZZ_BINS)
	@FUZZTIME=$(FUZZTIME) FUZZRUNS=$(FUZZRUNS) sh tests/fuzz/run.sh \
	    $(FUZZ)

# tests/lint.sh: banned functions, each library's headers in its place,
# cppcheck, clang-tidy on the whole tree (tests/tidy.sh --check: what
# tests/tidy.sum does not vouch for, and two files it does); make check
# runs it as its test 'lint'
lint:
	@sh tests/lint.sh

# clang-tidy with .clang-tidy's checks on every C file (tests/tidy.sh):
# every finding, the count per directory; the tree is kept at none.
# Analyses what tests/tidy.sum does not vouch for (a file, a header, a
# flag or the tools changed) and rewrites it, which make lint reads;
# TIDY_FULL=1 analyses every file; TIDY_FILES=... only those files.
tidy:
	@sh tests/tidy.sh $(TIDY_FILES)

# the README's quick start, run as root in a minimal Debian 12 root made
# with debootstrap (cached); not part of check (tests/fresh/run.sh)
fresh-check:
	@sh tests/fresh/run.sh

SHAREDIR ?= $(PREFIX)/share/bmcwatch
# where net-snmp's tools look for MIB files (Debian: /usr/share/snmp/mibs)
MIBDIR	?= $(PREFIX)/share/snmp/mibs

UNITDIR	?= $(PREFIX)/lib/systemd/system
INITDIR	?= $(SYSCONFDIR)/init.d
INIT_SED = -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/logrotate.d \
	    $(DESTDIR)$(SYSCONFDIR)/bmcwatch $(DESTDIR)$(SHAREDIR) \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(INITDIR) \
	    $(DESTDIR)$(MIBDIR) $(DESTDIR)$(SYSCONFDIR)/snmp/snmpd.conf.d
	install -m 755 $(BUILD)/bmcwatch $(DESTDIR)$(BINDIR)/bmcwatch
	install -m 755 $(BUILD)/bmcwatchd $(DESTDIR)$(SBINDIR)/bmcwatchd
	install -d $(DESTDIR)$(PLUGINDIR)
	install -m 755 $(PLUGINS) $(DESTDIR)$(PLUGINDIR)/
	install -m 644 plugins/check_bmc.8 $(DESTDIR)$(MANDIR)/man8/check_bmc.8
	install -d $(DESTDIR)$(SHAREDIR)/icinga2 $(DESTDIR)$(SHAREDIR)/nagios \
	    $(DESTDIR)$(SHAREDIR)/nrpe.d
	install -m 644 etc/icinga2/bmcwatch-commands.conf \
	    $(DESTDIR)$(SHAREDIR)/icinga2/bmcwatch-commands.conf
	install -m 644 etc/nagios/bmcwatch.cfg $(DESTDIR)$(SHAREDIR)/nagios/bmcwatch.cfg
	install -m 644 etc/nrpe.d/bmcwatch.cfg $(DESTDIR)$(SHAREDIR)/nrpe.d/bmcwatch.cfg
	@# bmcwatchd runs the subagent from its own directory
	install -m 755 $(BUILD)/bmcwatch-snmp $(DESTDIR)$(SBINDIR)/bmcwatch-snmp
	install -m 644 agent/snmp/bmcwatch-snmp.8 \
	    $(DESTDIR)$(MANDIR)/man8/bmcwatch-snmp.8
	install -m 644 mibs/BMCWATCH-MIB.txt $(DESTDIR)$(MIBDIR)/BMCWATCH-MIB.txt
	install -m 644 etc/snmp/snmpd.conf.d/bmcwatch.conf \
	    $(DESTDIR)$(SYSCONFDIR)/snmp/snmpd.conf.d/bmcwatch.conf
	install -m 644 agent/cli/bmcwatch.1 $(DESTDIR)$(MANDIR)/man1/bmcwatch.1
	install -m 644 agent/daemon/bmcwatchd.8 \
	    $(DESTDIR)$(MANDIR)/man8/bmcwatchd.8
	install -m 644 agent/daemon/bmcwatch.conf.5 \
	    $(DESTDIR)$(MANDIR)/man5/bmcwatch.conf.5
	install -m 644 etc/logrotate.d/bmcwatch \
	    $(DESTDIR)$(SYSCONFDIR)/logrotate.d/bmcwatch
	install -m 644 etc/sensors-severity.conf \
	    $(DESTDIR)$(SHAREDIR)/sensors-severity.conf
	install -m 644 etc/bmcwatchd.conf $(DESTDIR)$(SHAREDIR)/bmcwatchd.conf
	@# the configuration only where there is none: the local BMC, no
	@# watchdog; 644, the daemon re-reads it as its user on SIGHUP (the
	@# secrets are in password files of their own)
	[ -e $(DESTDIR)$(SYSCONFDIR)/bmcwatch/bmcwatchd.conf ] || \
	    install -m 644 etc/bmcwatchd-local.conf \
	    $(DESTDIR)$(SYSCONFDIR)/bmcwatch/bmcwatchd.conf
	sed $(INIT_SED) init/bmcwatchd.service.in >$(BUILD)/bmcwatchd.service
	install -m 644 $(BUILD)/bmcwatchd.service \
	    $(DESTDIR)$(UNITDIR)/bmcwatchd.service
	sed $(INIT_SED) init/bmcwatchd.init.in >$(BUILD)/bmcwatchd.init
	install -m 755 $(BUILD)/bmcwatchd.init $(DESTDIR)$(INITDIR)/bmcwatchd

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
