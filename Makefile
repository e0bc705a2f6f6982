# The two commands of the README. Everything else is CMake.
BUILD ?= build
JOBS  ?= $(shell nproc)

.PHONY: demo test build quiet-build deps configure clean waves

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

# demo: one progress line for the build (full output in $(BUILD)/build.log), then the demo.
quiet-build: configure
	@scripts/quiet-build.sh $(BUILD) $(JOBS)

demo: quiet-build
	@echo "running: $(BUILD)/trimode demo"
	@$(BUILD)/trimode demo

test: build
	@cd $(BUILD) && ctest -j $(JOBS) --output-on-failure

# waves: the trap unit's signals in a co-simulated modes_chain run (docs/rtl.md).
waves: build
	@$(BUILD)/trimode run $(BUILD)/sw/modes_chain.elf --cosim --rtl-fst $(BUILD)/trap_unit.fst >/dev/null
	@echo "wrote $(BUILD)/trap_unit.fst; view: gtkwave $(BUILD)/trap_unit.fst $(BUILD)/generated/waves/trap_unit.gtkw $(BUILD)/generated/waves/trimode.gtkwaverc"

clean:
	rm -rf $(BUILD)
