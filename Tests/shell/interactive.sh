#!/usr/bin/env bash
# Drives the real interactive projq shell inside tmux and checks what the screen shows.
#
#   Tests/shell/interactive.sh [PATH/TO/projq]      (default .build/debug/projq; run from the repo root)
#
# Needs tmux (3.x) and no terminal: it starts its own tmux server (-L projq-test-$$) with a 120x40
# window and kills it at the end, whatever happens. Inside the session TERM=tmux-256color and LANG /
# LC_* are unset, so the Chinese checks also prove projq's C.UTF-8 fallback. HOME is a fresh temporary
# folder, XDG_CACHE_HOME (the cache of CSV tables) another, and every session runs with --history in a
# temporary folder.
#
# Output is TAP-like: `ok - NAME` or `not ok - NAME` followed by the screen as `#` lines, then
# `1..N` and a last line `N passed, M failed`. Exit status 0 only when every check passed.
#
# The Ctrl-C-during-a-query check needs a ledger big enough for a query to run for seconds: it reuses
# bench/data/1000000 when present, else runs bench/generate.py (needs numpy), else writes a plain
# 1M-row CSV with awk; then it saves a snapshot with projq and opens that. PROJQ_TEST_BIG=generate or
# PROJQ_TEST_BIG=awk forces one of the last two ways.
#
# Screens are polled (every 0.1 s, up to 5 s) instead of slept on.

set -u -o pipefail
exec 3>&1 # diagnostics from inside $(...) go to the real stdout
# The script's own grep/sed/wc see UTF-8 (built into glibc); the shell under test gets no locale at all.
export LC_ALL=C.UTF-8
unset LANG LANGUAGE

BIN=${1:-.build/debug/projq}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
ROOT=$PWD

bail() { echo "Bail out! $1"; echo "0 passed, 1 failed"; exit 2; }
command -v tmux >/dev/null || bail "tmux is not installed"
[ -x "$BIN" ] || bail "no executable projq at $BIN"
[ -d "$ROOT/examples/county" ] || bail "run from the repository root (no examples/county here)"

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/projq-shell.XXXXXX")
SOCKET=projq-test-$$
HOME_DIR=$TMPD/home
HIST=$TMPD/history/projq_history
PIDFILE=$TMPD/projq.pid
mkdir -p "$HOME_DIR" "$TMPD/history"
export XDG_CACHE_HOME=$TMPD/cache
unset PROJQ_NO_CACHE

cat >"$TMPD/tmux.conf" <<'EOF'
set -g default-terminal tmux-256color
set -g remain-on-exit on
set -g status off
set -g history-limit 2000
EOF

T() { tmux -L "$SOCKET" -f "$TMPD/tmux.conf" "$@"; }

cleanup() {
  local sock
  declare -F stop >/dev/null && stop
  sock=$(tmux -L "$SOCKET" display-message -p '#{socket_path}' 2>/dev/null) ||
    sock=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCKET
  tmux -L "$SOCKET" kill-server >/dev/null 2>&1
  rm -f "$sock" # tmux 3.3a leaves the socket file behind
  rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- time, screen and cursor ------------------------------------------------------------------

now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }

# Display width of a string (wide CJK characters count 2), trailing spaces included.
width() { printf %s "$1" | wc -L; }

screen() { T capture-pane -p -t t 2>/dev/null; }          # the visible 120x40 screen
everything() { T capture-pane -p -t t -S - 2>/dev/null; } # scrollback and screen
cursor() { T display-message -p -t t '#{cursor_x} #{cursor_y}' 2>/dev/null; }

# CUR_X, CUR_Y and CUR_LINE (the text of the cursor's line, trailing spaces trimmed by tmux)
read_cursor() {
  local pos
  pos=$(cursor) || return 1
  CUR_X=${pos% *}
  CUR_Y=${pos#* }
  CUR_LINE=$(screen | sed -n "$((CUR_Y + 1))p")
}

# poll MILLISECONDS STEP_SECONDS COMMAND... : run COMMAND until it succeeds or the time is up
poll() {
  local limit=$1 step=$2
  shift 2
  local end=$(($(now_ms) + limit))
  while :; do
    "$@" && return 0
    (($(now_ms) >= end)) && return 1
    sleep "$step"
  done
}
wait_for() { poll 5000 0.1 "$@"; }

# conditions for wait_for
has() { screen | grep -qF -- "$1"; }            # the screen shows this text somewhere
has_line() { screen | grep -qxF -- "$1"; }      # ... as a whole line
has_re() { screen | grep -qE -- "$1"; }         # ... a line matching this regex
log_has() { everything | grep -qxF -- "$1"; }   # scrollback included, whole line
# The cursor is on a line showing exactly TEXT (minus trailing spaces) and sits right after TEXT,
# trailing spaces included, so `projq> projects ` proves the space after a completion.
line_is() {
  read_cursor || return 1
  local text=$1 trimmed=$1
  while [ "${trimmed% }" != "$trimmed" ]; do trimmed=${trimmed% }; done
  [ "$CUR_LINE" = "$trimmed" ] && [ "$CUR_X" -eq "$(width "$text")" ]
}
# An empty prompt below screen row $1 (rows count from 0).
prompt_below() { line_is 'projq> ' && [ "$CUR_Y" -gt "$1" ]; }
at_prompt() { line_is 'projq> '; }

# submit TEXT : note the cursor's row in Y0, type TEXT and press Enter
submit() {
  read_cursor
  Y0=$CUR_Y
  type_text "$1"
  send Enter
}
send() { T send-keys -t t "$@"; }       # key names: Tab, Enter, C-c, C-d, Up, BSpace
type_text() { T send-keys -t t -l -- "$1"; } # literal UTF-8 text

# --- reporting --------------------------------------------------------------------------------

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() {
  FAILED=$((FAILED + 1))
  echo "not ok - $1"
  [ -n "${2:-}" ] && echo "# $2"
  local pos
  pos=$(cursor) && echo "# cursor (x y): $pos"
  echo "# screen:"
  screen | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' | sed 's/^/#   |/'
}
# check NAME CONDITION... : wait up to 5 s for CONDITION
check() {
  local name=$1
  shift
  if wait_for "$@"; then pass "$name"; else fail "$name" "waited 5 s for: $*"; fi
}

# --- sessions ---------------------------------------------------------------------------------

# start ARGS... : a fresh session "t" running `projq ARGS --history FILE; echo EXIT=$?`
start() {
  stop
  local cmd
  printf -v cmd '%q ' "$BIN" "$@" --history "$HIST"
  cat >"$TMPD/run.sh" <<EOF
cd $(printf %q "$ROOT") || exit 99
unset LANG LANGUAGE PAGER LESS \$(compgen -e | grep '^LC_')
export HOME=$(printf %q "$HOME_DIR") XDG_CACHE_HOME=$(printf %q "$XDG_CACHE_HOME") TERM=tmux-256color
{ echo "TERM=\$TERM"; env | grep -E '^(LANG|LANGUAGE|LC_[A-Z_]+)='; } >$(printf %q "$TMPD/pane-env")
${PANE_LANG:+export LANG=$PANE_LANG}
${ULIMIT_V:+ulimit -v $ULIMIT_V}
bash -c 'echo \$\$ >"\$0"; exec "\$@"' $(printf %q "$PIDFILE") $cmd
echo "EXIT=\$?"
EOF
  T new-session -d -s t -x 120 -y 40 "bash --noprofile --norc $(printf %q "$TMPD/run.sh")"
}

# stop: end the session's projq the way a user would (Ctrl-C, Ctrl-D); if it still runs 2 s later,
# SIGKILL it by its pid; then remove the session. Killing a session under a live projq hangs up its
# terminal, and libedit's signal handlers can then deadlock projq and leave it behind for good.
gone() { ! kill -0 "$1" 2>/dev/null; }
stop() {
  local pid
  if [ -s "$PIDFILE" ] && pid=$(cat "$PIDFILE") && ! gone "$pid"; then
    T send-keys -t t C-c >/dev/null 2>&1 # (the terminal drops what is typed after it: wait)
    poll 2000 0.05 at_prompt
    T send-keys -t t C-d >/dev/null 2>&1
    poll 2000 0.05 gone "$pid" || kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$PIDFILE"
  T kill-session -t t >/dev/null 2>&1
}

# fresh NAME ARGS... : start and wait for the first prompt; a failed start is a failed check
fresh() {
  local name=$1
  shift
  start "$@"
  if poll "${START_MS:-5000}" 0.1 at_prompt; then return 0; fi
  fail "$name" "no 'projq> ' prompt after starting projq $*"
  return 1
}

# --- checks: completion -------------------------------------------------------------------------

complete_check() { # NAME TYPED EXPECTED_LINE [DATA]
  local name=$1 typed=$2 expected=$3 data=${4:-examples/county}
  fresh "$name" "$data" || return
  type_text "$typed"
  send Tab
  check "$name" line_is "projq> $expected"
}

complete_check "TAB completes a table name (proj → projects)" \
  'proj' 'projects '
complete_check "TAB completes a column of the statement's table (where sec → sector)" \
  'projects where sec' 'projects where sector '
complete_check "TAB completes a category value after = (mach → machinery)" \
  'projects where sector = mach' 'projects where sector = machinery '
complete_check "TAB completes a category value after != (neg → negotiating)" \
  'projects where stage != neg' 'projects where stage != negotiating '
complete_check "TAB completes a category value inside in ( (tour → tourism)" \
  'projects where sector in (tour' 'projects where sector in (tourism '
complete_check "TAB completes a Chinese value (unit = 城 → 城关镇)" \
  'projects where unit = 城' 'projects where unit = 城关镇 '
complete_check "TAB completes a Chinese value (town = 西 → 西河镇)" \
  'projects where town = 西' 'projects where town = 西河镇 '
complete_check "TAB completes a Chinese value on county-zh (行业 = 机械 → 机械加工)" \
  '项目 where 行业 = 机械' '项目 where 行业 = 机械加工 ' examples/county-zh

complete_check "TAB after an aggregation offers its columns, not the base table's (| select 签 → 签约额)" \
  '项目 sum 投资额 as 签约额 by 责任单位 | select 签' '项目 sum 投资额 as 签约额 by 责任单位 | select 签约额 ' examples/county-zh
complete_check "TAB after a join offers the columns it brought (| select 任 → 任务额)" \
  '项目 sum 投资额 as 签约额 by 责任单位 | join 单位 on 责任单位 = 单位 | select 任' \
  '项目 sum 投资额 as 签约额 by 责任单位 | join 单位 on 责任单位 = 单位 | select 任务额 ' examples/county-zh

name="TAB with several matches lists them under the line (where s → sector stage signed_on …)"
if fresh "$name" examples/county; then
  type_text 'projects where s'
  send Tab
  list_shown() {
    # a line below the typed one lists the matching columns; the typed line is shown again under it
    local list_row
    list_row=$(screen | grep -nE '(^| )sector( |$)' | grep -E '(^|[: ])stage( |$)' | grep -E ' signed_on( |$)' |
      head -1 | cut -d: -f1)
    [ -n "$list_row" ] && line_is 'projq> projects where s' && [ "$CUR_Y" -ge "$list_row" ]
  }
  check "$name" list_shown
fi

# --- checks: results, .mode, .timer, errors -----------------------------------------------------

query='projects where sector = machinery count by stage'
name="a query prints a box table with a row-count footer"
if fresh "$name" examples/county; then
  submit "$query"
  box_shown() {
    prompt_below "$Y0" && has_line '┌─────────────┬───────┐' && has_line '│ stage       │ count │' &&
      has_line '├─────────────┼───────┤' && has_line '│ signed      │    31 │' &&
      has_line '└─────────────┴───────┘' && has_line '5 rows'
  }
  check "$name" box_shown

  name=".mode csv then the same query prints CSV"
  submit '.mode csv'
  wait_for prompt_below "$Y0"
  submit "$query"
  csv_shown() {
    prompt_below "$Y0" && has_line 'stage,count' && has_line 'lead,28' && has_line 'signed,31' &&
      has_line 'operating,18'
  }
  check "$name" csv_shown

  name=".timer on and .mode box: the box footer gives the time"
  submit '.timer on'
  wait_for prompt_below "$Y0"
  submit '.mode box'
  wait_for prompt_below "$Y0"
  submit "$query"
  timer_shown() { prompt_below "$Y0" && has_re '^5 rows .*[0-9] ?(ms|s|µs)$'; }
  check "$name" timer_shown
fi

name="a query error shows the message and underlines the column (secter)"
if fresh "$name" examples/county; then
  submit 'projects where secter = x'
  underlined() {
    has "unknown column 'secter'" || return 1
    local stmt carets
    stmt=$(screen | grep -F '| projects where secter = x' | head -1)
    carets=$(screen | grep -E '^ *\| *\^+ *$' | head -1)
    [ -n "$stmt" ] && [ -n "$carets" ] || return 1
    local before_word=${stmt%%secter*} before_carets=${carets%%^*} hats=${carets#"${carets%%^*}"}
    hats=${hats%% *}
    [ "${#before_word}" -eq "${#before_carets}" ] && [ "$hats" = '^^^^^^' ] && prompt_below "$Y0"
  }
  check "$name" underlined
fi

# --- checks: Ctrl-C, Ctrl-D, .quit --------------------------------------------------------------

name="Ctrl-C on a half-typed line abandons it and gives a fresh prompt"
if fresh "$name" examples/county; then
  type_text 'projects where sector = mach'
  wait_for line_is 'projq> projects where sector = mach'
  read_cursor
  y0=$CUR_Y
  send C-c
  if wait_for prompt_below "$y0"; then
    # the abandoned text must not come back into the next statement
    submit 'projects count'
    check "$name" eval 'has_line "│   600 │" && prompt_below $Y0'
  else
    fail "$name" "no fresh 'projq> ' below row $y0 after Ctrl-C"
  fi
fi

name="Ctrl-D on an empty line exits with status 0"
if fresh "$name" examples/county; then
  send C-d
  check "$name" log_has 'EXIT=0'
fi

# --- checks: history across a restart ----------------------------------------------------------

name="history: after a restart with the same --history, Up shows the previous statement"
statement='projects where zone = dev_zone count by sector'
if fresh "$name" examples/county; then
  submit "$statement" # twice: the history keeps it once
  wait_for eval 'prompt_below $Y0 && has_line "12 rows"'
  submit "$statement"
  if wait_for eval 'prompt_below $Y0 && [ "$(screen | grep -cxF "12 rows")" -eq 2 ]' &&
    { send C-d; wait_for log_has 'EXIT=0'; }; then
    if fresh "$name" examples/county; then
      send Up
      check "$name" line_is "projq> $statement"
    fi
  else
    fail "$name" "the first session did not run the statement and exit"
  fi
fi

# --- checks: Chinese input on county-zh ---------------------------------------------------------

name="Chinese input: 项目 where 行业 = 机械加工 count typed literally gives 121"
if fresh "$name" examples/county-zh; then
  type_text '项目 where 行业 = 机械加工 count'
  wait_for line_is 'projq> 项目 where 行业 = 机械加工 count'
  Y0=$CUR_Y
  send Enter
  check "$name" eval 'prompt_below $Y0 && has_re "^│ +count +│$" && has_line "│   121 │" && has_line "1 row"'

  name="Chinese input: Backspace deletes one wide character (机械加工工 → 机械加工)"
  type_text '项目 where 行业 = 机械加工工'
  wait_for line_is 'projq> 项目 where 行业 = 机械加工工'
  send BSpace
  if wait_for line_is 'projq> 项目 where 行业 = 机械加工'; then
    Y0=$CUR_Y
    type_text ' count by 阶段'
    send Enter
    check "$name" eval 'prompt_below $Y0 && has_line "│ 签约 │    31 │" && has_line "5 rows"'
  else
    fail "$name" "after Backspace the line is not 'projq> 项目 where 行业 = 机械加工'"
  fi

  name=".quit exits with status 0"
  type_text '.quit'
  send Enter
  check "$name" log_has 'EXIT=0'
fi

name="an unclosed parenthesis: the continuation prompt says ...(>, and an empty line ends the statement with the located error"
if fresh "$name" examples/county-zh; then
  type_text '项目 where (阶段 = 签约 count'
  send Enter
  if wait_for has_re '^  \.\.\.\(> *$'; then
    Y0=$CUR_Y
    send Enter
    check "$name" eval 'has "expected '"')'"' to close the '"'('"' at column 14" && prompt_below $Y0'
  else
    fail "$name" "no ...(> prompt"
  fi

  name="an unclosed quote: the prompt says ...'>, and an empty line ends it with the located error; the session goes on"
  T send-keys -t t C-l
  type_text "项目 where 项目名称 contains '机械"
  send Enter
  if wait_for has_re "^  \.\.\.'> *$"; then
    Y0=$CUR_Y
    send Enter
    if wait_for has 'unterminated text: the quote opened here is never closed'; then
      submit '项目 count'
      check "$name" eval 'has_line "│   600 │"'
    else
      fail "$name" "no error for the open quote"
    fi
  else
    fail "$name" "no ...'> prompt"
  fi
fi

name=".chart in the shell: bars of block characters under the table, each bar starting in the same column under Chinese labels"
if fresh "$name" examples/county-zh; then
  type_text '.chart bar 阶段 项目数'
  send Enter
  wait_for prompt_below "$Y0"
  type_text '项目 count as 项目数 by 阶段'
  wait_for line_is 'projq> 项目 count as 项目数 by 阶段'
  Y0=$CUR_Y
  send Enter
  # Each label is two Chinese characters (four columns) and a space: every bar starts in column 6.
  check "$name" eval 'prompt_below $Y0 && has_re "^线索 █+[▏▎▍▌▋▊▉]? 131$" && has_re "^在谈 █+[▏▎▍▌▋▊▉]? 81$" && has_re "^签约 █+[▏▎▍▌▋▊▉]? 173$" && has_re "^投产 █+[▏▎▍▌▋▊▉]? 82$"'
fi

# --- checks: narrow terminals ---------------------------------------------------------------------

# resize_to COLUMNS: resize the window, and give the terminal's new size a moment to reach projq
resize_to() {
  T resize-window -t t -x "$1" -y 40
  poll 2000 0.05 eval '[ "$(T display-message -p -t t "#{pane_width}")" = "'"$1"'" ]'
  sleep 0.3
}

name="80 columns: 项目 limit 3 is too wide for a box, so it shows records — every value whole, no line wrapped"
if fresh "$name" examples/county-zh; then
  resize_to 80
  submit '项目 limit 3'
  check "$name" eval 'prompt_below $Y0 && has_re "^─\[ 3 \]─+$" && has_re "^项目名称 +│ 中鼎流转31亩家庭农场项目$" && has_re "^签约日期 +│ 2014-07-14$" && has_re "^投资额 \(万元\) │ 333$" && has_line "3 rows" && ! has "…"'

  name="129 columns, the box's own width: a box on one line each, nothing cut (no wrap by one column)"
  resize_to 129
  T send-keys -t t C-l
  submit '项目 limit 3'
  check "$name" eval 'prompt_below $Y0 && has_re "^┌─+┬.*┐$" && has_re "^│ +3 │ 中鼎流转31亩家庭农场项目 │ 清水乡 .*│ 2014-07-14 │.*│$" && ! has "…"'

  name="121 columns: the widest text is cut with …, never a date, a number or a header"
  resize_to 121
  T send-keys -t t C-l
  submit '项目 limit 3'
  check "$name" eval 'prompt_below $Y0 && has_re "^│ 编号 │ 项目名称 +│ 责任单位 │ 行业 +│ 阶段 │ 投资额 \(万元\) │ 签约日期 +│" && has_re "│ 中鼎流转31亩家… +│ 清水乡 .*│ +333 │ 2014-07-14 │"'
fi

# --- checks: the pager ------------------------------------------------------------------------------

name="without the pager, 600 rows show their first and last 20 and say how to see every row"
if fresh "$name" examples/county-zh; then
  submit '项目 select 编号, 项目名称'
  check "$name" eval 'prompt_below $Y0 && everything | grep -qF "… 560 more rows …" && has_line "600 rows (560 not shown: .pager on, .mode csv or .output FILE shows every row)"'

  name=".pager on: a result taller than the terminal opens in less (PAGER unset), every row, q comes back"
  T send-keys -t t C-l
  submit '.pager on'
  wait_for prompt_below "$Y0"
  T send-keys -t t C-l
  type_text '项目 select 编号, 项目名称'
  send Enter
  if wait_for eval 'has_re "^│ +1 │ 西河镇31万套铸件项目 +│$" && has_re "^:$"'; then
    send G
    if wait_for eval 'has_re "^│ +600 │" && has_line "600 rows" && has_line "(END)" && ! has "more rows"'; then
      send q
      # (libedit drops what is typed while it sets the terminal up again after the pager: wait)
      wait_for at_prompt
      sleep 0.5
      T send-keys -t t C-l
      submit '项目 count'
      check "$name" eval 'prompt_below $Y0 && has_line "│   600 │"'
    else
      fail "$name" "G in the pager did not reach the 600th row and the footer"
    fi
  else
    fail "$name" "no pager with the first rows after .pager on"
  fi

  name=".pager on: a short result is printed, not paged"
  T send-keys -t t C-l
  submit '项目 count by 阶段'
  check "$name" eval 'prompt_below $Y0 && has_line "5 rows" && ! has_re "^:$"'
fi

# --- checks: Chinese messages under LANG=zh_CN.UTF-8 ---------------------------------------------
# PANE_LANG sets LANG in the pane after the environment check above was written.

name="LANG=zh_CN.UTF-8: the banner is Chinese"
if PANE_LANG=zh_CN.UTF-8 fresh "$name" examples/county-zh; then
  check "$name" has '.help 查看命令，.quit 或 Ctrl-D 退出，TAB 补全名称和取值。'

  name="LANG=zh_CN.UTF-8: an error is Chinese, at LINE:COL, its carets under the Chinese column name"
  submit '项目 where 阶段 = 签约 and 行业名 = 1 count'
  chinese_underlined() {
    has_line "1:22: 错误：未知的列 '行业名'" && has_line "   = 是否应为 '行业'？" || return 1
    local stmt carets
    stmt=$(screen | grep -F '| 项目 where 阶段 = 签约 and 行业名 = 1 count' | head -1)
    carets=$(screen | grep -E '^ *\| *\^+ *$' | head -1)
    [ -n "$stmt" ] && [ -n "$carets" ] || return 1
    # Display columns, not characters: each Chinese character takes two.
    local before_word=${stmt%%行业名*} before_carets=${carets%%^*}
    [ "$(width "$before_word")" -eq "$(width "$before_carets")" ] && [ "${carets#"$before_carets"}" = '^^^^^^' ] && prompt_below "$Y0"
  }
  check "$name" chinese_underlined

  name="LANG=zh_CN.UTF-8: the footer counts rows (共 5 行) and .timer on gives 用时 … 毫秒"
  T send-keys -t t C-l
  submit '.timer on'
  wait_for prompt_below "$Y0"
  submit '项目 count by 阶段'
  check "$name" eval 'prompt_below $Y0 && has_line "│ 阶段 │ count │" && has_re "^共 5 行 · 用时 [0-9.]+ 毫秒$"'

  name="LANG=zh_CN.UTF-8: .help lists the commands in Chinese"
  T send-keys -t t C-l
  submit '.help'
  check "$name" eval 'prompt_below $Y0 && has "列出各表及其行数" && has "查询：先写表名，再接子句："'

  name=".lang en switches the same shell back to English"
  T send-keys -t t C-l
  submit '.lang en'
  wait_for prompt_below "$Y0"
  submit 'project count'
  check "$name" eval 'prompt_below $Y0 && has_line "1:1: error: unknown table '"'project'"'"'
fi

# --- checks: Ctrl-C during a long query ---------------------------------------------------------

# A snapshot of a ~1M-row ledger; prints its path, or nothing.
big_snapshot() {
  local snap=$TMPD/big.projqdb src= way=${PROJQ_TEST_BIG:-}
  local bench=$ROOT/bench/data/1000000
  if [ -z "$way" ] && [ -f "$bench/ledger.projqdb" ] &&
    [ "$("$BIN" "$bench/ledger.projqdb" --format csv -c 'projects count' 2>/dev/null | tail -1)" = 1000000 ]; then
    echo "# big ledger: reusing $bench/ledger.projqdb" >&3
    echo "$bench/ledger.projqdb"
    return
  fi
  if [ -z "$way" ] && [ -f "$bench/projects.csv" ]; then
    src=$bench/projects.csv
  elif [ "$way" != awk ] && python3 -c 'import numpy' 2>/dev/null; then
    echo "# big ledger: bench/generate.py --rows 1000000" >&3
    python3 "$ROOT/bench/generate.py" --rows 1000000 --out "$TMPD/big" >/dev/null && src=$TMPD/big/projects.csv
  fi
  if [ -z "$src" ]; then
    echo "# big ledger: awk, 1000000 rows" >&3
    mkdir -p "$TMPD/big"
    awk 'BEGIN {
      split("城关镇 东关镇 西河镇 南塘镇 石桥镇 龙泉乡 清水乡 河口乡 杨庄乡 白沙镇", town, " ")
      split("machinery tourism agriculture logistics textiles food energy chemicals", sector, " ")
      print "id,name,sector,investment"
      for (i = 1; i <= 1000000; i++)   # i*7919 mod the prime 1000003: all names distinct
        printf "%d,%s%07d号项目,%s,%d\n", i, town[i % 10 + 1], (i * 7919) % 1000003, sector[i % 8 + 1], 100 + (i * 37) % 20000
    }' >"$TMPD/big/projects.csv" && src=$TMPD/big/projects.csv
  fi
  [ -n "$src" ] || return
  echo "# big ledger: saving $src as a snapshot" >&3
  "$BIN" "$src" --no-cache -c ".save $snap" >/dev/null && [ -f "$snap" ] && echo "$snap"
}

name="Ctrl-C during a long query cancels it and the prompt comes back within 0.2 s"
t_prep=$(now_ms)
snap=$(big_snapshot)
echo "# big ledger ready in $((($(now_ms) - t_prep) / 1000)) s"
if [ -z "$snap" ]; then
  fail "$name" "could not make a big ledger"
elif START_MS=60000 fresh "$name" "$snap"; then
  # Queries that take seconds on 1M rows (debug build: count distinct name ≈ 5 s); if one finishes
  # within a second, the next, heavier one is tried.
  done_=
  for long_query in 'projects count distinct name' 'projects sort name limit 1' 'projects count by name'; do
    read_cursor
    y0=$CUR_Y
    type_text "$long_query"
    send Enter
    wait_for eval 'read_cursor && [ "$CUR_Y" -gt "$y0" ]' # the statement was taken
    sleep 1                                               # and runs for a second
    if prompt_below "$y0"; then
      echo "# '$long_query' finished within 1 s; trying a heavier query"
      continue
    fi
    t0=$(now_ms)
    send C-c
    if poll 5000 0.01 prompt_below "$y0"; then
      latency=$(($(now_ms) - t0))
      name="Ctrl-C during a long query ($long_query) cancels it: prompt back in ${latency} ms (limit 200 ms)"
      if ! has 'cancelled'; then
        fail "$name" "no 'cancelled' on the screen"
      elif [ "$latency" -gt 200 ]; then
        fail "$name" "the prompt came back after $latency ms"
      else
        pass "$name"
      fi
    else
      fail "$name (no prompt 5 s after Ctrl-C)" "no fresh prompt within 5 s of Ctrl-C"
    fi
    done_=1
    break
  done
  [ -n "$done_" ] || fail "$name" "every candidate query finished within 1 s: no long query to cancel"

  name="after a cancelled query the session goes on (projects count → 1,000,000)"
  if at_prompt; then
    submit 'projects count'
    check "$name" eval 'prompt_below $Y0 && has_line "│ 1,000,000 │"'
  else
    fail "$name" "not at a prompt"
  fi
fi

name="out of memory under ulimit -v: counting 1M names by name is refused with an error, and the session goes on"
if [ -n "$snap" ] && ULIMIT_V=250000 START_MS=60000 fresh "$name" "$snap"; then
  submit 'projects count by name | count'
  if wait_for has 'more than the address space left under ulimit -v'; then
    submit 'projects count'
    check "$name" eval 'prompt_below $Y0 && has_line "│ 1,000,000 │"'
  else
    fail "$name" "no refusal on the screen"
  fi
  # The CSV file the ledger was made from (or the bench's), loaded beside it: refused too.
  big_csv=$ROOT/bench/data/1000000/projects.csv
  [ -f "$big_csv" ] || big_csv=$TMPD/big/projects.csv
  name="out of memory under ulimit -v: loading a 1M-row CSV beside the snapshot is refused, and the session goes on"
  if [ -f "$big_csv" ] && at_prompt; then
    T send-keys -t t C-l
    submit ".load $big_csv as again"
    if wait_for has 'loading it ('; then
      submit 'projects count'
      check "$name" eval 'prompt_below $Y0 && has_line "│ 1,000,000 │"'
    else
      fail "$name" "no refusal on the screen"
    fi
  fi
fi

name="a self-join of 1M rows on a repeated key is refused at once (no signal), and the session goes on"
if [ -n "$snap" ] && START_MS=60000 fresh "$name" "$snap"; then
  submit 'projects join projects on sector | count'
  if wait_for has 'more than a table can hold'; then
    submit 'projects count'
    check "$name" eval 'prompt_below $Y0 && has_line "│ 1,000,000 │"'
  else
    fail "$name" "no refusal on the screen"
  fi
fi

# --- checks: files ---------------------------------------------------------------------------------

name="--history FILE is written (libedit format, no consecutive duplicates) and ~/.projq_history is not"
if [ -f "$HIST" ] && head -1 "$HIST" | grep -qx '_HiStOrY_V2_' && [ -z "$(uniq -d "$HIST")" ] &&
  grep -qF 'dev_zone' "$HIST" && [ ! -e "$HOME_DIR/.projq_history" ]; then
  pass "$name"
else
  fail "$name" "history file $HIST:$(echo; sed 's/^/#   /' "$HIST" 2>&1)
# home: $(ls -A "$HOME_DIR")"
fi

name="the shell ran with TERM=tmux-256color and no LANG or LC_* (projq's C.UTF-8 fallback)"
if [ "$(cat "$TMPD/pane-env" 2>&1)" = "TERM=tmux-256color" ]; then
  pass "$name"
else
  fail "$name" "environment in the pane: $(cat "$TMPD/pane-env" 2>&1 | tr '\n' ' ')"
fi

echo "1..$((PASSED + FAILED))"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
