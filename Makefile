# cablekit - developer commands:
#   make            build build/cablekit (optimized)
#   make test       install what is missing, build, run every test: unit tests
#                   under ASan+UBSan, golden, corpus, hostile inputs, HTTP and
#                   browser tests; the fuzz targets are built (not run)
#   make asan       build the sanitizer build only (build-asan/)
#   make run        install what is missing, build, ingest a demo, serve the UI
#   make bench      build benchmark tools (bench/synth) ; see bench/*.sh
#   make fuzz       build libFuzzer targets (clang) into build-fuzz/
#   make checksymbols  fail unless the exported symbols are exactly the
#                   functions that include/cablekit.h declares
#   make calls      fail if two object files call each other (scripts/calls.sh)
#
# `run` and `test` first run scripts/deps.sh, then make the rest in a new
# make: pkg-config is asked here when the Makefile is read, and on a bare
# machine the -dev packages are only there after deps.sh.

CC      ?= cc
PKGS    := sqlite3 libarchive libmicrohttpd jansson libzstd nettle
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes -Werror=implicit-function-declaration
CFLAGS  ?= -O2 -g
# symbols are hidden unless include/cablekit.h declares them (see checksymbols)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -fvisibility=hidden $(WARN) -Iinclude -Isrc -Ibuild/gen $(PKG_CFLAGS) $(SONAMES) $(CFLAGS)
LIBS    := $(PKG_LIBS) -lpthread -lm
# the cablekit binary loads libarchive and libmicrohttpd when a command
# first needs them (src/util/dynlib.c): linked in, their dependencies cost
# every run ~6 ms before main().  The sonames are the ones found here.
BIN_LIBS := $(shell pkg-config --libs sqlite3 jansson libzstd nettle 2>/dev/null) -ldl -lpthread -lm
# the unit tests also read GraphML back with libxml2
UNIT_LIBS := $(LIBS) $(shell pkg-config --libs libxml-2.0 2>/dev/null) -lcriterion
UNIT_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
soname = $(shell objdump -p $$(pkg-config --variable=libdir $(1))/$(2).so 2>/dev/null | sed -n 's/^ *SONAME *//p')
SONAMES := $(if $(call soname,libarchive,libarchive),-DCK_LIBARCHIVE_SONAME='"$(call soname,libarchive,libarchive)"') \
	   $(if $(call soname,libmicrohttpd,libmicrohttpd),-DCK_LIBMHD_SONAME='"$(call soname,libmicrohttpd,libmicrohttpd)"')

ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DCK_ARENA_MALLOC

LIB_SRC := $(sort $(wildcard src/util/*.c src/parse/*.c src/write/*.c src/read/*.c src/archive/*.c src/server/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
GEN_SRC := build/gen/tables.c build/gen/srvtables.c build/gen/assets.c
DATA    := $(wildcard data/*)
ASSETS  := $(wildcard src/server/assets/*)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

OBJ      := $(LIB_SRC:%.c=build/obj/%.o) $(GEN_SRC:build/gen/%.c=build/obj/gen/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=build/obj/%.o)
AOBJ     := $(LIB_SRC:%.c=build-asan/obj/%.o) $(GEN_SRC:build/gen/%.c=build-asan/obj/gen/%.o)
ACLI_OBJ := $(CLI_SRC:%.c=build-asan/obj/%.o)

.PHONY: all asan test unit run bench fuzz checksymbols calls clean deps build-for-test

all: build/cablekit

# Objects are rebuilt when the compiler flags change (a first build made
# before the packages were there has other flags): build/flags holds the
# flags of the last build and is rewritten only when they differ.
FLAGS_NOW := $(CC) $(ALL_CFLAGS) $(ASAN_FLAGS)
ifneq ($(FLAGS_NOW),$(file <build/flags))
$(shell mkdir -p build)
$(file >build/flags,$(FLAGS_NOW))
endif

build/gen/tables.c: scripts/gentables.sh $(DATA)
	@mkdir -p $(@D)
	sh scripts/gentables.sh data $@
build/gen/srvtables.c: scripts/gentables.sh $(DATA)
	@mkdir -p $(@D)
	sh scripts/gentables.sh --server data $@
build/gen/assets.c: scripts/genassets.sh $(ASSETS)
	@mkdir -p $(@D)
	sh scripts/genassets.sh src/server/assets $@

# -MMD: each object also depends on the headers it includes (build*/obj/**/*.d)
build/obj/gen/%.o: build/gen/%.c build/flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
build/obj/%.o: %.c build/flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
build/libcablekit.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^
build/cablekit: $(CLI_OBJ) build/libcablekit.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) build/libcablekit.a $(BIN_LIBS)

build-asan/obj/gen/%.o: build/gen/%.c build/flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -MMD -MP -c $< -o $@
build-asan/obj/%.o: %.c build/flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -MMD -MP -c $< -o $@
build-asan/libcablekit.a: $(AOBJ)
	@rm -f $@
	ar rcs $@ $^
build-asan/cablekit: $(ACLI_OBJ) build-asan/libcablekit.a
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -o $@ $(ACLI_OBJ) build-asan/libcablekit.a $(BIN_LIBS)
build-asan/unit: $(UNIT_SRC) build-asan/libcablekit.a tests/unit/unit.h build/flags
	$(CC) $(ALL_CFLAGS) $(UNIT_CFLAGS) $(ASAN_FLAGS) -o $@ $(UNIT_SRC) build-asan/libcablekit.a $(UNIT_LIBS)
asan: build-asan/cablekit build-asan/unit

-include $(OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(AOBJ:.o=.d) $(ACLI_OBJ:.o=.d)

unit: build-asan/unit
	ASAN_OPTIONS=detect_leaks=1 ./build-asan/unit --jobs 2

deps:
	sh scripts/deps.sh

test: deps
	@$(MAKE) --no-print-directory build-for-test
	sh tests/run.sh
build-for-test: build/cablekit asan checksymbols calls fuzz

run: deps
	@$(MAKE) --no-print-directory build/cablekit
	sh scripts/run.sh

# Exported = defined, global, default visibility.  Every exported symbol must
# be declared in include/cablekit.h and every function declared there must be
# exported (the header is compiled with default visibility, the rest hidden).
checksymbols: build/libcablekit.a
	@exported=$$(readelf -sW build/libcablekit.a | awk '$$5 == "GLOBAL" && $$6 == "DEFAULT" && $$7 != "UND" {print $$8}' | sort -u); \
	declared=$$($(CC) -std=c11 -D_GNU_SOURCE -Iinclude -E -P include/cablekit.h | \
		grep -oE '\bck_[a-z0-9_]+[[:space:]]*\(' | sed 's/[[:space:](]//g' | sort -u); \
	extra=$$(printf '%s\n' "$$exported" | grep -v -x -F "$$declared" | grep . || true); \
	missing=$$(printf '%s\n' "$$declared" | grep -v -x -F "$$exported" | grep . || true); \
	if [ -n "$$extra" ]; then echo "exported but not declared in include/cablekit.h:"; echo "$$extra"; fi; \
	if [ -n "$$missing" ]; then echo "declared in include/cablekit.h but not defined:"; echo "$$missing"; fi; \
	[ -z "$$extra$$missing" ] || exit 1; \
	echo "checksymbols: ok ($$(printf '%s\n' "$$exported" | wc -l) exported symbols, all in include/cablekit.h)"

# No two files call each other: the objects of the library and the CLI,
# one pair per line when some do (scripts/calls.sh -v also lists every
# caller -> callee pair and the calls that go up a layer).
calls: $(OBJ) $(CLI_OBJ)
	@sh scripts/calls.sh $(OBJ) $(CLI_OBJ)

bench: build/cablekit bench/synth
bench/synth: bench/synth.c build/libcablekit.a
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libcablekit.a $(LIBS)

# The library is compiled once for all fuzz targets (clang, with coverage
# and sanitizers); each target is one file linked against it.
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -Werror=implicit-function-declaration -Iinclude -Isrc -Ibuild/gen $(PKG_CFLAGS) $(SONAMES) -g -O1 \
	-fsanitize=fuzzer-no-link,address,undefined
FOBJ := $(LIB_SRC:%.c=build-fuzz/obj/%.o) $(GEN_SRC:build/gen/%.c=build-fuzz/obj/gen/%.o)
# as build/flags for the others: a change of the fuzz flags rebuilds the
# fuzz objects (they were left stale before)
FUZZ_FLAGS_NOW := clang $(FUZZ_CFLAGS)
ifneq ($(FUZZ_FLAGS_NOW),$(file <build-fuzz/flags))
$(shell mkdir -p build-fuzz)
$(file >build-fuzz/flags,$(FUZZ_FLAGS_NOW))
endif
fuzz: $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
build-fuzz/obj/gen/%.o: build/gen/%.c build-fuzz/flags
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
build-fuzz/obj/%.o: %.c build-fuzz/flags
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
build-fuzz/libcablekit.a: $(FOBJ)
	@rm -f $@
	ar rcs $@ $^
build-fuzz/%: fuzz/%.c $(wildcard fuzz/*.h) build-fuzz/libcablekit.a build-fuzz/flags
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< build-fuzz/libcablekit.a $(LIBS)
-include $(FOBJ:.o=.d)

clean:
	rm -rf build build-asan build-fuzz bench/synth
