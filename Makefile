# QoS Playground. `make run` to try it, `make test` to check everything.
# The wasm is built into web/app.wasm and the server into bin/server.

GO       ?= go
ADDR     ?= localhost:8080
BROKER   ?= auto
WASM     := web/app.wasm
SERVER   := bin/server
GOFILES  := $(shell find app wasm server -name '*.go' 2>/dev/null) go.mod go.sum

.PHONY: all build run test vet fmt-check deps deps-check clean

all: build

build: $(WASM) $(SERVER)

$(WASM): $(GOFILES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./wasm

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
test: fmt-check vet deps deps-check
	$(GO) test -race -count=1 -timeout 12m ./...

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/... ./wasm/...

fmt-check:
	@out=$$(gofmt -l app wasm server); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

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
	rm -rf bin $(WASM) artifacts
