# make run   — install what is missing, build release, open projq on the example county
# make test  — install what is missing, run the whole test suite
SWIFT ?= swift
# The release binary loads only libc and libm at start-up (the whole of a short run is a few
# milliseconds): the Swift runtime is linked in (--static-swift-stdlib), and so are the C++
# library it needs and libgcc: loading and relocating libstdc++.so was a tenth of a run that
# opens a small folder and counts. The compiler driver asks for -lstdc++ by name, so the link
# looks first in a folder that holds only libstdc++.a. No $ORIGIN run path: nothing is loaded
# from beside the binary, and each library looked for there cost a dozen failed lookups.
STATIC_CXX = .build/static-cxx
RELEASE_FLAGS = -c release --static-swift-stdlib --disable-local-rpath -Xlinker -L$(CURDIR)/$(STATIC_CXX) \
	-Xswiftc -Xclang-linker -Xswiftc -static-libgcc

.PHONY: setup setup-test release run test examples clean fuzz fuzz-build sanitize

# Debian packages projq needs to build: libedit (line editing), libxlsxwriter (Excel reports),
# and the workbook readers: libzip and expat (.xlsx), FreeXL (.xls); found through pkg-config.
setup:
	@if ! pkg-config --exists libedit 2>/dev/null || ! pkg-config --exists xlsxwriter 2>/dev/null \
		|| ! pkg-config --exists libzip 2>/dev/null || ! pkg-config --exists expat 2>/dev/null || ! pkg-config --exists freexl 2>/dev/null; then \
		echo "installing libedit-dev, libxlsxwriter-dev, libzip-dev, libexpat1-dev, libfreexl-dev and pkg-config"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libedit-dev libxlsxwriter-dev \
			libzip-dev libexpat1-dev libfreexl-dev pkg-config; \
	fi

# What the tests drive: tmux (the shell), less (its pager), openpyxl (workbooks read back), chromium and
# poppler-utils (the HTML printed to PDF) with a Chinese font, LibreOffice (the workbook opened).
setup-test: setup
	@if ! command -v tmux >/dev/null || ! command -v less >/dev/null || ! /usr/bin/python3 -c 'import openpyxl' 2>/dev/null \
		|| ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null || ! fc-list 2>/dev/null | grep -qi wenquanyi \
		|| ! command -v libreoffice >/dev/null; then \
		echo "installing tmux, less, python3-openpyxl, chromium, poppler-utils, fonts-wqy-microhei and libreoffice-calc-nogui"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux less python3-openpyxl chromium \
			poppler-utils fonts-wqy-microhei libreoffice-calc-nogui; \
	fi

release: setup
	@mkdir -p $(STATIC_CXX); archive=$$(clang -print-file-name=libstdc++.a 2>/dev/null || true); \
		if [ -f "$$archive" ]; then ln -sf "$$archive" $(STATIC_CXX)/libstdc++.a; \
		else echo "libstdc++.a not found (libstdc++-12-dev): projq will load libstdc++.so"; fi
	$(SWIFT) build $(RELEASE_FLAGS) --product projq

run: release
	.build/release/projq examples/county

# The Swift suites, crash fuzzing of the binary, then the interactive shell driven in tmux
# (needs tmux: setup installs it), then a short coverage-guided fuzzing of each target.
test: setup-test
	$(SWIFT) test
	python3 Tests/fuzz/fuzz.py .build/debug/projq --runs 60
	bash Tests/shell/interactive.sh .build/debug/projq
	$(MAKE) fuzz FUZZ_SECONDS=15

# Coverage-guided fuzzing (libFuzzer, AddressSanitizer) of the query path, the CSV loader, the
# snapshot reader and the .xlsx reader, FUZZ_SECONDS each (default 60), starting from Tests/fuzz/seeds and what
# earlier runs kept in .build-fuzz/corpus; a crashing input is copied to
# Tests/fuzz/regressions/TARGET/, which `make test` then replays. Stops at the first crash.
FUZZ_SECONDS ?= 60
fuzz-build:
	$(SWIFT) build --product projq-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xcc -fsanitize=address --build-path .build-fuzz

fuzz: fuzz-build
	@for t in query csv snapshot xlsx; do \
		mkdir -p .build-fuzz/corpus/$$t Tests/fuzz/regressions/$$t; rm -rf .build-fuzz/found/$$t; mkdir -p .build-fuzz/found/$$t; \
		echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
		ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no PROJQ_FUZZ_TARGET=$$t .build-fuzz/debug/projq-fuzz \
			.build-fuzz/corpus/$$t Tests/fuzz/seeds/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 \
			-artifact_prefix=.build-fuzz/found/$$t/ -print_final_stats=1 2>&1 | grep -E 'ERROR|SUMMARY|Test unit written|stat::number_of_executed_units|DONE'; \
		if [ -n "$$(ls .build-fuzz/found/$$t)" ]; then \
			cp .build-fuzz/found/$$t/* Tests/fuzz/regressions/$$t/; \
			echo "fuzzing $$t found a crash: its input is now in Tests/fuzz/regressions/$$t/"; exit 1; \
		fi; \
	done

# The Swift suites under AddressSanitizer, then ThreadSanitizer (each in its own build folder).
sanitize: setup-test
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --build-path .build-asan
	$(SWIFT) test --sanitize=thread --build-path .build-tsan

# Regenerates the example datasets (deterministic: the same bytes every time).
examples:
	python3 bench/generate.py --rows 600 --seed 2015 --lang en --out examples/county
	python3 bench/generate.py --rows 600 --seed 2015 --lang zh --out examples/county-zh
	python3 bench/generate.py --rows 600 --seed 2015 --lang zh --encoding gb18030 --out examples/county-zh-gb18030
	/usr/bin/python3 examples/county_xlsx.py

clean:
	rm -rf .build
