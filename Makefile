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
	python3 python3-jsonschema mosquitto

.PHONY: all deps build run test test-sanitize bench clean

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

run: build
	./$(BUILDDIR)/app/cli/tacit-cli replay \
	  --rules data/demo/stamping-line.xml --events data/demo/shift.csv --format table --stats

test: build
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

clean:
	rm -rf $(BUILDDIR) $(SANDIR)
