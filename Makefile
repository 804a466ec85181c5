# cablekit - developer commands:
#   make            build build/cablekit (optimized)
#   make test       everything: unit tests under ASan+UBSan, golden, corpus,
#                   hostile inputs, HTTP and browser tests
#   make asan       build the sanitizer build only (build-asan/)
#   make run        install deps, build, ingest examples/, serve the UI
#   make bench      build benchmark tools (bench/synth) ; see bench/*.sh
#   make fuzz       build libFuzzer targets (clang) into build-fuzz/
#   make checksymbols  fail on an exported symbol without the ck_ prefix

CC      ?= cc
PKGS    := sqlite3 libarchive libmicrohttpd jansson libxml-2.0 libzstd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -Isrc -Ibuild/gen $(PKG_CFLAGS) $(SONAMES) $(CFLAGS)
LIBS    := $(PKG_LIBS) -lpthread -lm
# the cablekit binary loads libarchive and libmicrohttpd when a command
# first needs them (src/util/dynlib.c): linked in, their dependencies cost
# every run ~6 ms before main().  The sonames are the ones found here.
BIN_LIBS := $(shell pkg-config --libs sqlite3 jansson libzstd 2>/dev/null) -ldl -lpthread -lm
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

.PHONY: all asan test unit run bench fuzz checksymbols clean deps
all: build/cablekit

build/gen/tables.c: scripts/gentables.sh $(DATA)
	@mkdir -p $(@D)
	sh scripts/gentables.sh data $@
build/gen/srvtables.c: scripts/gentables.sh $(DATA)
	@mkdir -p $(@D)
	sh scripts/gentables.sh --server data $@
build/gen/assets.c: scripts/genassets.sh $(ASSETS)
	@mkdir -p $(@D)
	sh scripts/genassets.sh src/server/assets $@

build/obj/gen/%.o: build/gen/%.c include/cablekit.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@
build/obj/%.o: %.c include/cablekit.h $(wildcard src/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@
build/libcablekit.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^
build/cablekit: $(CLI_OBJ) build/libcablekit.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) build/libcablekit.a $(BIN_LIBS)

build-asan/obj/gen/%.o: build/gen/%.c include/cablekit.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c $< -o $@
build-asan/obj/%.o: %.c include/cablekit.h $(wildcard src/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c $< -o $@
build-asan/libcablekit.a: $(AOBJ)
	@rm -f $@
	ar rcs $@ $^
build-asan/cablekit: $(ACLI_OBJ) build-asan/libcablekit.a
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -o $@ $(ACLI_OBJ) build-asan/libcablekit.a $(BIN_LIBS)
build-asan/unit: $(UNIT_SRC) build-asan/libcablekit.a tests/unit/unit.h
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -o $@ $(UNIT_SRC) build-asan/libcablekit.a $(LIBS) -lcriterion
asan: build-asan/cablekit build-asan/unit

unit: build-asan/unit
	ASAN_OPTIONS=detect_leaks=1 ./build-asan/unit --jobs 2

test: build/cablekit asan checksymbols
	sh tests/run.sh

checksymbols: build/libcablekit.a
	@bad=$$(nm -g --defined-only build/libcablekit.a | awk 'NF==3 && $$2 ~ /[TDBR]/ {print $$3}' | grep -v -E '^(ck_|CK_)' || true); \
	if [ -n "$$bad" ]; then echo "exported symbols without ck_ prefix:"; echo "$$bad"; exit 1; fi; \
	echo "checksymbols: ok"

deps:
	sh scripts/deps.sh

run: deps build/cablekit
	sh scripts/run.sh

bench: build/cablekit bench/synth
bench/synth: bench/synth.c build/libcablekit.a
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libcablekit.a $(LIBS)

FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
fuzz: $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
build-fuzz/%: fuzz/%.c $(LIB_SRC) $(GEN_SRC)
	@mkdir -p $(@D)
	clang -std=c11 -D_GNU_SOURCE -Iinclude -Isrc -Ibuild/gen $(PKG_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $< $(LIB_SRC) $(GEN_SRC) $(LIBS)

clean:
	rm -rf build build-asan build-fuzz bench/synth
