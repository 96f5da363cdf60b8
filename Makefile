# QoS Playground. `make run` to try it, `make test` to check everything.
# The wasm is built into web/app.wasm, the in-tab broker's into
# web/broker.wasm, the teacher's board's into web/teacher.wasm, the capture
# worker's into web/capture.wasm, and the server into bin/server.

GO       ?= go
ADDR     ?= localhost:8080
BROKER   ?= auto
WASM     := web/app.wasm
WASM_BR  := $(WASM).br
WASM_GZ  := $(WASM).gz
BROKER_WASM := web/broker.wasm
TEACHER_WASM := web/teacher.wasm
CAPTURE_WASM := web/capture.wasm
SERVER   := bin/server
GOFILES  := $(shell find app wasm server third_party -name '*.go' 2>/dev/null) go.mod go.sum

.PHONY: all build run test vet fmt-check deps deps-check clean icons

all: build

build: $(WASM) $(WASM_BR) $(WASM_GZ) $(BROKER_WASM) $(BROKER_WASM).br $(TEACHER_WASM) $(TEACHER_WASM).br $(CAPTURE_WASM) $(CAPTURE_WASM).br $(SERVER)

# The wasm files are built by server/internal/cmd/wasmbuild: GOOS=js,
# stripped, and with copies of paho, coder/websocket and go-app that leave
# out paho's dialers, net/http, crypto/tls and regexp, which a tab never
# uses (wasm/_paho, wasm/_websocket, wasm/_goapp).
WASMBUILD := $(GO) run ./server/internal/cmd/wasmbuild
$(WASM): $(GOFILES)
	$(WASMBUILD) -o $@ ./wasm
$(BROKER_WASM): $(GOFILES)
	$(WASMBUILD) -o $@ ./wasm/broker
# The teacher's board (/teacher, with -teacher-key-file) has a wasm of its
# own, so that the learners' app.wasm leaves it out.
$(TEACHER_WASM): $(GOFILES)
	$(WASMBUILD) -o $@ ./wasm/teacher
# The capture worker (gopacket: pcapng export, import of captures), which a
# page loads only when the learner exports or imports.
$(CAPTURE_WASM): $(GOFILES)
	$(WASMBUILD) -o $@ ./wasm/capture

# The copies the server sends to browsers that accept them: brotli at its
# best quality (about 40 s for app.wasm on this machine's one core, once
# per change) and gzip -9. The server checks that a copy decompresses to the
# file beside it before sending it, so a stale copy is never served, only
# wasted.
PRECOMPRESS_GO := $(filter-out %_test.go,$(wildcard server/internal/precompress/*.go))
$(WASM_BR) $(WASM_GZ) &: $(WASM) $(PRECOMPRESS_GO)
	$(GO) run ./server/internal/cmd/precompress $(WASM)
$(BROKER_WASM).br $(BROKER_WASM).gz &: $(BROKER_WASM) $(PRECOMPRESS_GO)
	$(GO) run ./server/internal/cmd/precompress $(BROKER_WASM)
$(TEACHER_WASM).br $(TEACHER_WASM).gz &: $(TEACHER_WASM) $(PRECOMPRESS_GO)
	$(GO) run ./server/internal/cmd/precompress $(TEACHER_WASM)
$(CAPTURE_WASM).br $(CAPTURE_WASM).gz &: $(CAPTURE_WASM) $(PRECOMPRESS_GO)
	$(GO) run ./server/internal/cmd/precompress $(CAPTURE_WASM)

# The PWA icons in web/ are committed; this redraws them after a change of
# their design in server/internal/cmd/iconsgen (a test compares them).
icons:
	$(GO) run ./server/internal/cmd/iconsgen -out web

$(SERVER): $(GOFILES)
	$(GO) build -trimpath -o $@ ./server

# Serves the playground at the printed URL, on Mosquitto when it is installed,
# otherwise on the embedded broker. Ctrl-C stops the server and its broker.
run: build
	@echo
	@echo "  QoS Playground: http://$(ADDR)/   (Ctrl-C to stop)"
	@command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || \
	  echo "  (mosquitto not found: using the embedded broker; 'sudo apt-get install mosquitto' for the real one)"
	@echo
	./$(SERVER) -addr $(ADDR) -broker $(BROKER)

# Everything: formatting, vet for both targets, the native tests with the race
# detector, and the browser tests (which need Chromium and Mosquitto: they say
# SKIP when those are missing, and fail instead when CI is set).
# app/'s tests run their broker and gateway with `go run` of
# server/internal/cmd/teststack (internal/teststack): compiling it first
# keeps that out of the tests' own start-up.
# The server's browser tests mostly wait (on the page, the broker, the
# network conditions they set): testshards runs them in SHARDS processes
# side by side, next to the other packages' tests (go test ./... otherwise).
SHARDS ?= 2
test: fmt-check vet deps deps-check
	$(GO) build -o /dev/null ./server/internal/cmd/teststack
	$(GO) run ./server/internal/cmd/testshards -split ./server -shards $(SHARDS) -race -timeout 20m

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/... ./wasm/... ./bench/wasmclient ./bench/floorapp

fmt-check:
	@out=$$(gofmt -l app wasm server bench internal); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# axe-core, which the browser tests load into the page to check
# accessibility, pinned by server/testdata/axe/package-lock.json.
AXE := server/testdata/axe/node_modules/axe-core/axe.min.js
deps: $(AXE)
$(AXE): server/testdata/axe/package.json server/testdata/axe/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix server/testdata/axe --no-audit --no-fund --loglevel=error && touch $@; \
	  else echo "NOTE: npm is not installed: the accessibility test will SKIP (sudo apt-get install npm)"; fi

# Says what the browser and broker tests need when it is missing.
deps-check:
	@command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || \
	  echo "NOTE: chromium is not installed: browser tests will SKIP (sudo apt-get install chromium)"
	@command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || \
	  echo "NOTE: mosquitto is not installed: Mosquitto tests will SKIP (sudo apt-get install mosquitto mosquitto-clients)"

clean:
	rm -rf bin $(WASM) $(WASM_BR) $(WASM_GZ) $(BROKER_WASM) $(BROKER_WASM).br $(BROKER_WASM).gz $(TEACHER_WASM) $(TEACHER_WASM).br $(TEACHER_WASM).gz $(CAPTURE_WASM) $(CAPTURE_WASM).br $(CAPTURE_WASM).gz artifacts

# ---- Benchmarks (issue 7): bench/README.md says what each figure means. ----
# `make bench` measures the gateway, many learners, the browser client and
# the app's opening, each next to its peer, prints the table and saves JSON
# under bench/results. About 15 minutes on a 2-core machine; BENCH_QUICK=1
# for a short check (about 4; the program reads it), BENCH_FLAGS for more
# (e.g. BENCH_FLAGS="-only 2,4 -v").
# It needs Mosquitto and Chromium installed (it never downloads a browser)
# and mqtt.js, pinned by bench/package-lock.json, which it installs with npm.
.PHONY: bench
MQTTJS := bench/node_modules/mqtt/dist/mqtt.min.js
bench: build $(MQTTJS)
	@command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || \
	  echo "NOTE: chromium is not installed: measurements 1 and 3 will not run (sudo apt-get install chromium)"
	$(GO) run ./bench $(BENCH_FLAGS)
$(MQTTJS): bench/package.json bench/package-lock.json
	@command -v npm >/dev/null || { echo "make bench needs npm for mqtt.js (sudo apt-get install npm)"; exit 1; }
	npm ci --prefix bench --no-audit --no-fund --loglevel=error && touch $@

# ---- Static build (issue 6): the playground for any static file host. ----
# `make static` writes $(STATIC): every page, app.wasm and the rest, running
# on the broker inside the tab (there is no /mqtt). Serve the folder at the
# root of its origin, e.g. `python3 -m http.server -d dist/static`; what a
# static host cannot do is listed in server/static.go.
.PHONY: static
STATIC ?= dist/static
static: $(WASM) $(BROKER_WASM) $(CAPTURE_WASM) $(SERVER)
	rm -rf $(STATIC)
	./$(SERVER) -static $(STATIC) -web web

# ---- One file to deploy (issue 18). ----
# `make dist` writes one executable per platform into $(DIST), each with the
# whole web directory inside (app.wasm, broker.wasm, teacher.wasm and
# capture.wasm with their brotli and gzip copies), stamped with $(VERSION) (`-version` prints it), and
# SHA256SUMS beside them. Copied alone into an empty folder, it serves the
# app: at its first start it writes the assets under its -data directory.
.PHONY: dist
DIST ?= dist
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
DIST_PLATFORMS ?= linux/amd64 linux/arm64 darwin/arm64
DIST_WEB := server/distweb/web
dist: $(WASM) $(WASM_BR) $(WASM_GZ) $(BROKER_WASM) $(BROKER_WASM).br $(BROKER_WASM).gz $(TEACHER_WASM) $(TEACHER_WASM).br $(TEACHER_WASM).gz $(CAPTURE_WASM) $(CAPTURE_WASM).br $(CAPTURE_WASM).gz
	rm -rf $(DIST_WEB) && mkdir -p $(DIST_WEB) $(DIST)
	cp -pL web/* $(DIST_WEB)/
	set -e; for p in $(DIST_PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; out=$(DIST)/qos-playground-$(VERSION)-$$os-$$arch; \
	  echo "building $$out"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -tags dist -trimpath \
	    -ldflags "-s -w -X main.buildVersion=$(VERSION)" -o $$out ./server; \
	done
	rm -rf $(DIST_WEB)
	cd $(DIST) && sha256sum qos-playground-$(VERSION)-* > SHA256SUMS && cat SHA256SUMS

# ---- The cluster on one machine (issue 18): three NATS Server nodes, two
# server replicas and HAProxy, each on its own port, every log under
# $(CLUSTER_DIR). Ctrl-C, or `make cluster-stop` from another terminal,
# stops them all. Needs haproxy (sudo apt-get install haproxy).
.PHONY: cluster cluster-stop
CLUSTER_DIR ?= $(if $(TMPDIR),$(TMPDIR),/tmp)/qos-playground-cluster
cluster: build
	$(GO) run ./server/internal/cmd/cluster -dir $(CLUSTER_DIR) -addr $(ADDR) -server $(SERVER) -web web
cluster-stop:
	@if [ -f $(CLUSTER_DIR)/cluster.pid ]; then kill -TERM $$(cat $(CLUSTER_DIR)/cluster.pid) && echo "stopping the cluster"; \
	  else echo "no cluster running (no $(CLUSTER_DIR)/cluster.pid)"; fi
