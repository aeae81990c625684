# The two commands of the README: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: deps configure build run test bench fuzz clean format

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@$(BUILD_DIR)/app/clawgo-desktop $(ARGS)

test: build
	@cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j$(JOBS) --timeout 300

bench: build
	@bash bench/run.sh $(BUILD_DIR)
	@bash bench/run-chat.sh $(BUILD_DIR)
	@bash bench/run-providers.sh $(BUILD_DIR)
	@bash bench/run-window.sh $(BUILD_DIR)

# Each libFuzzer target for FUZZ_SECONDS (60) on a copy of its corpus, under ASan and UBSan.
fuzz:
	@bash scripts/run-fuzz.sh

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	@rm -rf $(BUILD_DIR)
