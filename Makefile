# Thin wrapper over meson: `make run` and `make test` do all the set-up on
# a fresh Debian 12 machine (installing what is missing when root).

BUILDDIR  ?= _build
SANDIR    ?= _build-sanitize
MESON     ?= meson

# Debian 12 packages the build and the test suite need.
DEB_PACKAGES = meson ninja-build pkg-config gcc libc6-dev \
	libglib2.0-dev libglib2.0-dev-bin libsqlite3-dev libxml2-dev libxml2-utils \
	libjson-glib-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libmosquitto-dev \
	libsodium-dev sqlite3 xvfb xauth dbus dbus-x11 gettext desktop-file-utils appstream \
	python3 python3-jsonschema mosquitto openssl libbz2-dev liblzma-dev tzdata \
	flatpak-builder systemd cage squeekboard

.PHONY: all deps build run demo-cli test test-sanitize bench bench-compare bench-scaling clean fuzz check-valgrind

all: build

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing Debian packages. Run:"; \
	    echo "  sudo apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi

$(BUILDDIR)/build.ninja:
	$(MESON) setup $(BUILDDIR)

build: deps $(BUILDDIR)/build.ninja
	$(MESON) compile -C $(BUILDDIR)

# The operator kiosk on the demo plant (fullscreen; leave with engineer
# badge 4, PIN 4321). The schema is read from the build tree.
run: build
	GSETTINGS_SCHEMA_DIR=$(BUILDDIR)/data ./$(BUILDDIR)/app/tacit --kiosk

# The demo plant replayed on the command line.
demo-cli: build
	./$(BUILDDIR)/app/cli/tacit-cli replay \
	  --rules data/demo/stamping-line.xml --events data/demo/shift.csv --format table --stats

# The ui suite needs a display and a session bus. The screen holds the
# desktop's 1440×900 window with its frame; kiosk windows are 1280×800.
test: build
	xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
	  $(MESON) test -C $(BUILDDIR) --print-errorlogs
	$(MAKE) test-sanitize

# The same suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
$(SANDIR)/build.ninja:
	$(MESON) setup $(SANDIR) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

test-sanitize: deps $(SANDIR)/build.ninja
	$(MESON) compile -C $(SANDIR)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(MESON) test -C $(SANDIR) --print-errorlogs --suite core --suite cli

bench: build
	$(MESON) test -C $(BUILDDIR) --benchmark --verbose

# Tacit against CLIPS (Debian's clips) and json-rules-engine (npm) on one
# workload; figures in docs/benchmarks.md.
bench-compare: build
	@dpkg-query -W -f='$${Status}\n' clips 2>/dev/null | grep -q '^install ok installed' || \
	  { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clips; } || \
	  { echo "Run: sudo apt-get install clips"; exit 1; }
	cd tests/bench/compare/node && npm ci --no-audit --no-fund
	python3 tests/bench/compare/compare.py --tacit-cli $(BUILDDIR)/app/cli/tacit-cli \
	  --bench-engine $(BUILDDIR)/tests/bench/bench-engine

# Scaling curves (100 -> 100,000 rules; 100,000 -> 10,000,000 events) against
# CLIPS, instructions per event (valgrind), import against the sqlite3 shell;
# charts into docs/img with gnuplot. About 30 minutes; figures in docs/benchmarks.md.
bench-scaling: build
	@missing=""; for p in clips gnuplot-nox valgrind sqlite3; do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; [ -z "$$missing" ] || \
	  { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; } || \
	  { echo "Run: sudo apt-get install$$missing"; exit 1; }
	python3 tests/bench/scaling.py --tacit-cli $(BUILDDIR)/app/cli/tacit-cli \
	  --bench-engine $(BUILDDIR)/tests/bench/bench-engine --img-dir docs/img

# libFuzzer targets (tests/fuzz, docs/reliability.md): built with clang in
# their own directory, each run FUZZ_SECONDS from its seed corpus. Needs
# the clang package (not in DEB_PACKAGES: CI does not fuzz).
FUZZDIR      ?= _build-fuzz
FUZZ_SECONDS ?= 60
$(FUZZDIR)/build.ninja:
	CC=clang $(MESON) setup $(FUZZDIR) -Dgtk=false -Dfuzzing=true -Dbuildtype=debugoptimized \
	  -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link

fuzz: $(FUZZDIR)/build.ninja
	$(MESON) compile -C $(FUZZDIR)
	for t in csv jsonl mtconnect rules; do \
	  tests/fuzz/run-fuzz.sh $(FUZZDIR) $$t $(FUZZ_SECONDS) || exit 1; \
	done

# The command-line tests with tacit-cli itself under Valgrind memcheck.
# Valgrind's reports go to $(BUILDDIR)/valgrind/PID.log (test-cli compares
# tacit-cli's stderr); a process with an error exits 1, failing its test.
check-valgrind: build
	rm -rf $(BUILDDIR)/valgrind && mkdir -p $(BUILDDIR)/valgrind
	$(MESON) test -C $(BUILDDIR) --print-errorlogs --timeout-multiplier=10 \
	  --wrap='valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 --trace-children=yes --trace-children-skip=*/sh,*/mount,*/umount --suppressions=/usr/share/glib-2.0/valgrind/glib.supp --log-file=$(abspath $(BUILDDIR))/valgrind/%p.log' \
	  cli environments
	! grep -h 'ERROR SUMMARY' $(BUILDDIR)/valgrind/*.log | grep -v ' 0 errors'

clean:
	rm -rf $(BUILDDIR) $(SANDIR) $(FUZZDIR)
