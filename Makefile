# bmcwatch -- plain GNU make.  `make`, `make check`, `make demo`,
# `make bench`, `make fuzz`, `make lint`, `make install`, `make clean`,
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
	  -Iagent/daemon \
	  $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
# -pthread: agent/util/work.c runs blocking jobs (fsync, getaddrinfo) on
# a worker thread
LDLIBS	= $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto) -lm \
	  -pthread
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

# library code shared by the CLI, the daemon, tests and fuzzers; the
# daemon's main file stays out, so tests link every other daemon object
DAEMON_MAIN = agent/daemon/bmcwatchd.c
LIB_SRCS = $(wildcard agent/util/*.c agent/ipmi/*.c agent/bmc/*.c \
	   agent/store/*.c) \
	   $(filter-out $(DAEMON_MAIN),$(wildcard agent/daemon/*.c)) \
	   agent/ev.c agent/log.c
CLI_SRCS = $(wildcard agent/cli/*.c)
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS = $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
REPLAY_BINS = $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=$(BUILD)/tests/replay_%)
FUZZ_BINS = $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=build/fuzz/fuzz_%)

PROGS	= $(BUILD)/bmcwatch $(BUILD)/bmcwatchd

.PHONY: all check demo bench fuzz lint install clean deps tests unit \
	integration check-san fresh-check

all: $(PROGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libbmcwatch.a: $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bmcwatch: $(CLI_OBJS) $(BUILD)/libbmcwatch.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libbmcwatch.a $(LDLIBS)

$(BUILD)/bmcwatchd: $(BUILD)/obj/$(DAEMON_MAIN:.c=.o) $(BUILD)/libbmcwatch.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(BUILD)/obj/$(DAEMON_MAIN:.c=.o) \
	    $(BUILD)/libbmcwatch.a $(LDLIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libbmcwatch.a $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< \
	    $(BUILD)/libbmcwatch.a $(LDLIBS)

# gcc replay driver: runs a fuzz target over its corpus (no libFuzzer)
$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libbmcwatch.a $(wildcard tests/fuzz/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c \
	    $(BUILD)/libbmcwatch.a $(LDLIBS)

tests: $(PROGS) $(UNIT_BINS) $(REPLAY_BINS)

deps:
	@sh tests/deps.sh

# everything, plain and then under ASan+UBSan; one summary line at the end
check: deps
	$(MAKE) tests
	$(MAKE) SAN=1 tests
	@sh tests/run

unit: tests
	@sh tests/run unit

integration: tests
	@sh tests/run integration

demo: deps all
	@sh tests/demo.sh

bench: deps all
	@sh tests/bench.sh

# libFuzzer builds (clang); run each for FUZZTIME seconds
FUZZTIME ?= 60
FUZZ_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 -pthread \
	-fsanitize=fuzzer,address,undefined -Iagent -Iagent/util -Iagent/ipmi -Iagent/bmc \
	-Iagent/daemon

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRCS)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) $(LDLIBS)

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do n=$${f##*/fuzz_}; \
	    mkdir -p build/fuzz/corpus/$$n; \
	    $$f -max_total_time=$(FUZZTIME) build/fuzz/corpus/$$n \
	        tests/fuzz/corpus/$$n || exit 1; done

lint:
	@sh tests/lint.sh

# the README's quick start, run as root in a minimal Debian 12 root made
# with debootstrap (cached); not part of check (tests/fresh/run.sh)
fresh-check:
	@sh tests/fresh/run.sh

SHAREDIR ?= $(PREFIX)/share/bmcwatch

UNITDIR	?= $(PREFIX)/lib/systemd/system
INITDIR	?= $(SYSCONFDIR)/init.d
INIT_SED = -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/logrotate.d \
	    $(DESTDIR)$(SYSCONFDIR)/bmcwatch $(DESTDIR)$(SHAREDIR) \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(INITDIR)
	install -m 755 $(BUILD)/bmcwatch $(DESTDIR)$(BINDIR)/bmcwatch
	install -m 755 $(BUILD)/bmcwatchd $(DESTDIR)$(SBINDIR)/bmcwatchd
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
	@# the example becomes the configuration only where there is none
	[ -e $(DESTDIR)$(SYSCONFDIR)/bmcwatch/bmcwatchd.conf ] || \
	    install -m 640 etc/bmcwatchd.conf \
	    $(DESTDIR)$(SYSCONFDIR)/bmcwatch/bmcwatchd.conf
	sed $(INIT_SED) init/bmcwatchd.service.in >$(BUILD)/bmcwatchd.service
	install -m 644 $(BUILD)/bmcwatchd.service \
	    $(DESTDIR)$(UNITDIR)/bmcwatchd.service
	sed $(INIT_SED) init/bmcwatchd.init.in >$(BUILD)/bmcwatchd.init
	install -m 755 $(BUILD)/bmcwatchd.init $(DESTDIR)$(INITDIR)/bmcwatchd

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
