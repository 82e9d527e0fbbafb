# shellcheck shell=bash
# Option parsing shared by scripts/qemu-check.sh and scripts/qemu-matrix.sh: each script states its
# options once, as a table of OPTION=VARIABLE[:KIND] words, and both refuse bad arguments the same
# way, with one line through the caller's die() (exit 2), before anything is created or fetched.
#
#   die() { echo "qemu-x: $*" >&2; exit 2; }   # the caller's
#   usage() { ...; }                            # the caller's: -h and --help print it and exit 0
#   out=./x append= no_compat= rest=()          # defaults (the parser only assigns)
#   options_parse '--out=out --append=append:may-be-empty --no-compat=no_compat:flag --=rest:rest' "$@"
#
# OPTION=VARIABLE takes one non-empty value; `:may-be-empty`, one value that may be ''; `:flag`,
# none (VARIABLE=1); `--=ARRAY:rest` puts every argument after `--` in ARRAY (a table without it
# refuses `--` as an unknown argument).

# TABLE ARGS...: sets the variables TABLE names from ARGS.
options_parse() {
  local -a options_table
  read -r -d '' -a options_table <<< "$1" || true # the table may span lines; read ends at EOF with 1
  shift
  local options_entry options_word options_var
  while [ $# -gt 0 ]; do
    case $1 in -h|--help) usage; exit 0 ;; esac
    options_entry=
    for options_word in "${options_table[@]}"; do
      [ "${options_word%%=*}" != "$1" ] || { options_entry=${options_word#*=}; break; }
    done
    [ -n "$options_entry" ] || die "unknown argument '$1' (see --help)"
    options_var=${options_entry%%:*}
    case $options_entry in
      *:flag) printf -v "$options_var" 1; shift ;;
      *:rest) shift; local -n options_rest=$options_var
              # shellcheck disable=SC2034 # a nameref: this assigns the caller's array
              options_rest=("$@"); return ;;
      *) [ $# -ge 2 ] || die "$1 needs a value (see --help)"
         [[ $options_entry == *:may-be-empty ]] || [ -n "$2" ] || die "$1 needs a value, not an empty string"
         printf -v "$options_var" '%s' "$2"; shift 2 ;;
    esac
  done
}

# OPTION VALUE: VALUE must be a whole number of seconds above 0.
options_seconds() {
  { [[ $2 =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ]; } || die "$1: expected a number of seconds, not '$2'"
}
