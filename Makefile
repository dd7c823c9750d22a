# make run   — install what is missing, build release, open projq on the example county
# make test  — install what is missing, run the whole test suite
SWIFT ?= swift
RELEASE_FLAGS = -c release --static-swift-stdlib

.PHONY: setup release run test examples clean

# Debian packages projq needs: libedit (line editing) found through pkg-config; tmux for the shell tests.
setup:
	@if ! pkg-config --exists libedit 2>/dev/null || ! command -v tmux >/dev/null; then \
		echo "installing libedit-dev, pkg-config and tmux"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libedit-dev pkg-config tmux; \
	fi

release: setup
	$(SWIFT) build $(RELEASE_FLAGS) --product projq

run: release
	.build/release/projq examples/county

# The Swift suites, crash fuzzing of the binary, then the interactive shell driven in tmux
# (needs tmux: setup installs it).
test: setup
	$(SWIFT) test
	python3 Tests/fuzz/fuzz.py .build/debug/projq --runs 60
	bash Tests/shell/interactive.sh .build/debug/projq

# Regenerates the example datasets (deterministic: the same bytes every time).
examples:
	python3 bench/generate.py --rows 600 --seed 2015 --lang en --out examples/county
	python3 bench/generate.py --rows 600 --seed 2015 --lang zh --out examples/county-zh
	python3 bench/generate.py --rows 600 --seed 2015 --lang zh --encoding gb18030 --out examples/county-zh-gb18030

clean:
	rm -rf .build
