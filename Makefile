# podlab - a rootless container runtime, built stage by stage.
#
#   make            build everything into build/
#   make demo       set up, build, and show a rootless container
#   make test       unit + integration tests (and their sanitizer build)
#   make doctor     check this machine for rootless prerequisites
#   make labs       regenerate labs/ and solutions/ from the marked runtime
#   make lab LAB=labs/01-userns   build a student's lab into build/lab/01-userns
#   make slides     build the decks into build/slides
#   make rootfs     build a small busybox root filesystem into build/rootfs
#   make deps       install the Debian/Ubuntu packages the kit needs
#   make dist-student   the kit without solutions, for students: build/podlab-student.tar.gz
#
# Nothing is installed system-wide except by `make deps`.

BUILD ?= build
CC ?= cc
SAN ?=

PKGS := libcap libseccomp mount libarchive libcrypto json-c slirp yaml-0.1
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) json-c 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CHECKER_LIBS := $(shell pkg-config --libs json-c 2>/dev/null)

# -Wno-format-truncation: every snprintf into a fixed buffer is bounded on
# purpose (paths are cut at PATH_MAX by the kernel anyway); GCC's guesses
# about possible truncation would otherwise fail the build.
CFLAGS := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-format-truncation -O2 -g $(PKG_CFLAGS)
LDFLAGS :=
ifeq ($(SAN),1)
CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

RUNTIME_SRCS := $(sort $(filter-out runtime/main.c,$(wildcard runtime/*.c)))
RUNTIME_OBJS := $(RUNTIME_SRCS:%.c=$(BUILD)/obj/%.o)
CHECKER_SRCS := $(sort $(wildcard checker/*.c))
CHECKER_OBJS := $(CHECKER_SRCS:%.c=$(BUILD)/obj/%.o)
STAGES := $(sort $(notdir $(wildcard stages/[0-9][0-9]-*)))
STAGE_BINS := $(foreach s,$(STAGES),$(BUILD)/stage$(firstword $(subst -, ,$(s))))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all podlab checker stages unit deps rootfs labs lab test test-user test-unit test-integration demo \
	doctor slides clean asan bench dist-student print-cflags
all: $(BUILD)/podlab $(BUILD)/podlab-check $(BUILD)/podlab-probe $(BUILD)/podlab-timeit $(STAGE_BINS)

$(BUILD)/obj/%.o: %.c $(wildcard runtime/*.h checker/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -iquote runtime -iquote checker -c $< -o $@

$(BUILD)/libpodlab.a: $(RUNTIME_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/podlab: $(BUILD)/obj/runtime/main.o $(BUILD)/libpodlab.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/stage%: $(BUILD)/libpodlab.a $(wildcard stages/*/main.c)
	$(CC) $(CFLAGS) -iquote runtime $(LDFLAGS) -o $@ $(wildcard stages/$*-*/main.c) $(BUILD)/libpodlab.a $(PKG_LIBS)

# The checker is a library too, so the unit tests can reach its pure parts.
$(BUILD)/libcheck.a: $(filter-out $(BUILD)/obj/checker/main.o,$(CHECKER_OBJS))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/podlab-check: $(BUILD)/obj/checker/main.o $(BUILD)/libcheck.a $(BUILD)/libpodlab.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECKER_LIBS)

# The probe runs inside containers whose root filesystem may hold nothing
# else, so it is linked statically and never sanitized.
$(BUILD)/podlab-probe: $(wildcard checker/probe/*.c checker/probe/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -static -o $@ $(wildcard checker/probe/*.c)

$(BUILD)/podlab-timeit: tools/bench/timeit.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

# ---- labs -----------------------------------------------------------------
# A lab is built from the reference sources, with every file the student
# has in the lab directory used in place of the reference file of the
# same name.  Lab files are compiled without -Werror: starter code has
# parameters that only the missing code would use.
LAB ?=
LABNAME := $(notdir $(abspath $(LAB)))
LABOUT ?= $(BUILD)/lab/$(LABNAME)
LAB_FILES := $(if $(LAB),$(wildcard $(LAB)/*.c))
LAB_SRCS := $(foreach f,$(RUNTIME_SRCS) runtime/main.c,$(if $(filter $(notdir $(f)),$(notdir $(LAB_FILES))),$(LAB)/$(notdir $(f)),$(f)))

# The student kit (make dist-student) has the runtime files with holes as
# stubs, and their reference code compiled in reference/: wherever the
# whole runtime is built, those objects are linked instead.
REF_OBJS := $(wildcard reference/*.o)
$(foreach o,$(REF_OBJS),$(eval $(BUILD)/obj/runtime/$(notdir $(o)): $(o) ; @mkdir -p $$(dir $$@) && cp $$< $$@))

lab:
	@test -n "$(LAB)" || { echo "usage: make lab LAB=labs/NN-name" >&2; exit 2; }
	@test -d "$(LAB)" || { echo "make lab: $(LAB) is not a directory" >&2; exit 2; }
	@case "$(LAB)" in *" "*) echo "make lab: '$(LAB)' has a space in it, which make cannot handle; copy the lab to a path without one" >&2; exit 2;; esac
	@mkdir -p $(LABOUT)/obj
	@set -e; objs=""; for f in $(LAB_SRCS); do \
		o=$(LABOUT)/obj/$$(basename $$f .c).o; \
		ref=reference/$$(basename $$f .c).o; \
		case $$f in runtime/*) if [ -f $$ref ]; then objs="$$objs $$ref"; continue; fi;; esac; \
		case $$f in runtime/*) flags="$(CFLAGS)";; *) flags="$(CFLAGS) -Wno-error";; esac; \
		echo "  CC $$f"; $(CC) $$flags -iquote runtime -c $$f -o $$o; objs="$$objs $$o"; done; \
		$(CC) $(LDFLAGS) -o $(LABOUT)/podlab $$objs $(PKG_LIBS)
	@echo "built $(LABOUT)/podlab from $(LAB)"

labs:
	sh tools/mklabs.sh

# ---- set-up ---------------------------------------------------------------
deps:
	sh tools/deps.sh

rootfs: $(BUILD)/rootfs/bin/busybox $(BUILD)/rootfs.tar
$(BUILD)/rootfs/bin/busybox: tools/mkrootfs.sh
	sh tools/mkrootfs.sh $(BUILD)/rootfs
# The same tree as a tarball for `podlab image import`, owned by root as
# an image's files are (whoever runs make).
$(BUILD)/rootfs.tar: $(BUILD)/rootfs/bin/busybox
	tar -C $(BUILD)/rootfs --owner=0 --group=0 --numeric-owner -cf $@ .

doctor: $(BUILD)/podlab
	$(BUILD)/podlab doctor

demo: deps
	$(MAKE) all rootfs
	sh tools/demo.sh

# ---- tests ----------------------------------------------------------------
$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libcheck.a $(BUILD)/libpodlab.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -iquote runtime -iquote checker $(LDFLAGS) -o $@ $< $(BUILD)/libcheck.a $(BUILD)/libpodlab.a $(PKG_LIBS) \
		$(CHECKER_LIBS) -lcmocka

unit: $(UNIT_BINS)

test-unit: unit
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

# The whole suite: as root it creates an unprivileged test user and runs
# everything that matters as that user (see tests/run.sh).
test: deps
	sh tests/run.sh

test-integration: all rootfs
	sh tests/integration/run.sh $(BUILD)

asan:
	$(MAKE) BUILD=$(BUILD)/asan SAN=1 all unit

# What `make test` runs as the unprivileged user: unit tests, integration
# tests, then the same again built with AddressSanitizer and UBSan.
test-user: all rootfs unit
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done
	sh tests/integration/run.sh $(BUILD)
	$(MAKE) --no-print-directory asan
	@set -e; for t in $(UNIT_BINS:$(BUILD)/%=$(BUILD)/asan/%); do echo "== $$t"; $$t; done
	sh tests/integration/run.sh $(BUILD)/asan podlab checker

slides:
	sh slides/build.sh $(BUILD)/slides

# Timings live here, never in the tests: ratios against crun, podman,
# unshare, slirp4netns and pasta measured in the same run.  As root, they
# run as the test user.  The network chart goes to $(BUILD)/bench-net.svg.
BENCH_STEPS = sh tools/bench/startup.sh $(BUILD) && sh tools/bench/io.sh $(BUILD) && \
	$(BUILD)/podlab bench net --svg $(BUILD)/bench-net.svg
bench: deps all rootfs
	@if [ "$$(id -u)" = 0 ]; then sh tests/as-test-user.sh podlab-bench sh -c 'make --no-print-directory all rootfs >/dev/null && $(BENCH_STEPS)'; \
	else $(BENCH_STEPS); fi

# Students get the kit without solutions: see tools/dist-student.sh.
dist-student: all
	sh tools/dist-student.sh $(BUILD)/podlab-student.tar.gz

print-cflags:
	@echo $(CFLAGS)

clean:
	rm -rf $(BUILD)
