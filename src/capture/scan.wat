;; The maps line scanner for large captures (src/capture/scan.ts loads it; `node scripts/wasm.mjs`
;; assembles it into src/capture/scan-wasm.ts). Why WebAssembly: a 1,000,000-line capture is ~70 MB
;; of bytes, and a JavaScript loop over them costs more than awk takes for the whole job. Why
;; SIMD: the fields are found from 16-byte class masks (where the spaces, the colon, the hex
;; digits are) rather than byte by byte, so a line costs a few dozen instructions and no branch
;; that depends on a field's width. The hot path is written out inline (V8 does not inline
;; WebAssembly calls by default).
;;
;; scan(p, to, bad, stopFirst) walks the lines in [p, to) (every one ends in '\n'). A line is
;; accepted exactly as readMapsLineBytes (maps-line-bytes.ts) accepts it ("start-end perms offset maj:min inode "
;; then padding and an optional name); the caller hears of it only when it matters. Boring lines
;; are counted and summed here and the walk goes on; they are the lines in order whose fate the
;; caller would decide without keeping anything:
;;   - an anonymous vma whose perms the keep filter never takes (table at 128), or one it
;;     would take but whose size the caller's bounds already refuse (the size table);
;;   - a file-backed vma of the same file as the last one, or of another file whose path holds
;;     no multiarch triplet (/cpu-linux-abi/) and no dynamic loader (/ld-, /ld., /ld6: the
;;     loader's name carries the ABI) the caller has not collected yet.
;; An interesting clean line stops the walk with status 1 and its fields in the state block. A
;; line that is not clean (another grammar, an address of more than 13 digits, a field wider than
;; this scanner reads, a byte at or past `bad` = CR/ESC/NUL) or whose name has a '[' (a special
;; name, or a kernel message the console printed into the line) stops it with status 2: the
;; caller reads that line itself. Status 0: every line up to `to` was boring.
;;
;; State block (byte offsets; "in" is written by the caller before each call):
;;   0 f64 prevE (in/out)        8 f64 start (out)          16 f64 end (out)
;;  24 f64 fileDev (in/out)     32 f64 fileInode (in/out)   40 f64 dev (out: major*2^20+minor)
;;  48 f64 inode (out)          56 f64 prevS (out: the last boring line's start)
;;  64 i32 fileNameLength (in/out)  68 i32 flags (in): 1 hasPrev, 2 firstFileSeen,
;;        4 tripletsFull, 8 kernelBits64, 16 sizesFull (no room for another size), 32 kernelBits32
;;  72 i32 lineStart (out)      76 i32 lineEnd (out: its '\n')  80 i32 nameAt (out, -1: none)
;;  84 i32 perms (out: r8 w4 x2 s1)  88 i32 digits of start (out)  92 i32 digits of end (out)
;;  96 i32 boring lines (out)  100 i32 OR of the low 18 bits of boring starts and ends (out)
;; 104 i32 last boring line's start (out)  108 i32 its '\n' (out)
;; 112 i32 boring anonymous vmas refused by the size bounds (out)  116 i32 boring executable anonymous vmas (out)
;; 120 i32 triplets known (in, 0..4)     124 i32 loaders known (in, 0..4)
;; 128 16 bytes (in): for perms k, 1 when the keep filter takes no anonymous vma with those perms
;; 144 4 x i32 (in): the known triplets' lengths; 160 4 x 64 bytes (in): their text
;; 416 4 x i32 (in): the known loaders' lengths; 432 4 x 64 bytes (in): their text
;; 688 256 bytes: 1 for the bytes of a triplet's parts (a data segment)
;; 1024 the size table: 2048 f64 keys, then at 17408 2048 states (0 empty, 1 room, 2 full)
;; The input bytes start at INPUT (20480); 64 readable bytes must follow `to` (vector loads).
(module
  (memory (export "memory") 1)

  ;; The n (1..16) hex digits in lanes 0..n-1 of v (validated), most significant first, as a number.
  (func $hexValue (param $v v128) (param $n i32) (result i64)
    (local $t v128) (local $r v128)
    ;; digit value: low nibble, +9 for a-f (bit 6 set)
    (local.set $t (v128.and (i8x16.shr_u (local.get $v) (i32.const 6)) (i8x16.splat (i32.const 1))))
    (local.set $r
      (i8x16.add (v128.and (local.get $v) (i8x16.splat (i32.const 15)))
                 (i8x16.add (i8x16.shl (local.get $t) (i32.const 3)) (local.get $t))))
    ;; reversed: lane k = the digit of weight 16^k (lanes past n read index >= 16, which is 0)
    (local.set $r
      (i8x16.swizzle (local.get $r)
        (i8x16.sub (i8x16.splat (i32.sub (local.get $n) (i32.const 1)))
                   (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))))
    ;; pairs of digits into bytes, little-endian
    (local.set $r
      (v128.or (v128.and (local.get $r) (i16x8.splat (i32.const 0x000f)))
               (v128.and (i16x8.shr_u (local.get $r) (i32.const 4)) (i16x8.splat (i32.const 0x00f0)))))
    (i64x2.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $r) (local.get $r))))

  ;; [a-z0-9_], the characters of a triplet's parts: 1 at 688 + c (a table, not a call per byte).
  (data (i32.const 736) "\01\01\01\01\01\01\01\01\01\01")
  (data (i32.const 783) "\01\00\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01")

  ;; Whether the name [k, e) holds a triplet /cpu-linux-abi/ the caller has not collected: the
  ;; caller's search (path-facts.ts collectTripletsInBytes), only answering yes or no.
  (func $newTriplet (param $k i32) (param $e i32) (result i32)
    (local $i i32) (local $m i32) (local $o i32) (local $a i32) (local $z i32) (local $t i32) (local $len i32) (local $j i32)
    (local.set $i (i32.add (local.get $k) (i32.const 1)))
    (block $no
      (loop $vec
        (br_if $no (i32.ge_u (i32.add (local.get $i) (i32.const 7)) (local.get $e)))
        (local.set $m
          (i8x16.bitmask (i8x16.eq (v128.load align=1 (local.get $i)) (i8x16.splat (i32.const 45)))))
        (block $next
          (loop $dash
            (br_if $next (i32.eqz (local.get $m)))
            (local.set $o (i32.add (local.get $i) (i32.ctz (local.get $m))))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (br_if $next (i32.ge_u (i32.add (local.get $o) (i32.const 7)) (local.get $e)))
            (if (i64.eq (i64.and (i64.load align=1 (local.get $o)) (i64.const 0x00ffffffffffffff))
                        (i64.const 0x002d78756e696c2d)) ;; "-linux-"
              (then
                (local.set $a (local.get $o))
                (block $b (loop $l
                  (br_if $b (i32.le_u (local.get $a) (local.get $k)))
                  (br_if $b (i32.eqz (i32.load8_u offset=688 (i32.load8_u (i32.sub (local.get $a) (i32.const 1))))))
                  (local.set $a (i32.sub (local.get $a) (i32.const 1)))
                  (br $l)))
                (local.set $z (i32.add (local.get $o) (i32.const 7)))
                (block $b (loop $l
                  (br_if $b (i32.ge_u (local.get $z) (local.get $e)))
                  (br_if $b (i32.eqz (i32.load8_u offset=688 (i32.load8_u (local.get $z)))))
                  (local.set $z (i32.add (local.get $z) (i32.const 1)))
                  (br $l)))
                (if (i32.and
                      (i32.and (i32.lt_u (local.get $a) (local.get $o)) (i32.gt_u (local.get $a) (local.get $k)))
                      (i32.and
                        (i32.and (i32.eq (i32.load8_u (i32.sub (local.get $a) (i32.const 1))) (i32.const 47))
                                 (i32.gt_u (local.get $z) (i32.add (local.get $o) (i32.const 7))))
                        (i32.eq (i32.load8_u (local.get $z)) (i32.const 47))))
                  (then
                    ;; a triplet [a, z): new unless one of the known ones
                    (local.set $len (i32.sub (local.get $z) (local.get $a)))
                    (local.set $t (i32.const 0))
                    (block $search
                      (loop $known
                        (br_if $search (i32.ge_u (local.get $t) (i32.load (i32.const 120))))
                        (block $differs
                          (br_if $differs (i32.ne (local.get $len)
                                                  (i32.load offset=144 (i32.shl (local.get $t) (i32.const 2)))))
                          (local.set $j (i32.const 0))
                          (loop $cmp
                            (if (i32.lt_u (local.get $j) (local.get $len))
                              (then
                                (br_if $differs
                                  (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $j)))
                                          (i32.load8_u offset=160
                                            (i32.add (i32.shl (local.get $t) (i32.const 6)) (local.get $j)))))
                                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                                (br $cmp))))
                          (br $search)) ;; equal: a known one; look further in the name
                        (local.set $t (i32.add (local.get $t) (i32.const 1)))
                        (br $known)))
                    (if (i32.ge_u (local.get $t) (i32.load (i32.const 120)))
                      (then (return (i32.const 1))))))))
            (br $dash)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vec)))
    (i32.const 0))

  ;; Whether the name [k, e) names a dynamic loader the caller has not collected: it holds "/ld-",
  ;; "/ld." or "/ld6" (a loader's name carries the ABI: ld-linux-aarch64.so.1, ld-musl-mips-sf.so.1,
  ;; ld64.so.2), the caller's list has room, and the name after its last '/' is none of the loaders
  ;; the caller gave (path-facts.ts collectLoader keeps that base name; any other spelling, a
  ;; " (deleted)" after it say, goes to the caller, which decides). Found 16 bytes at a time:
  ;; with every line of another file (a container's libraries), a byte loop cost a third of the scan.
  (func $newLoader (param $k i32) (param $e i32) (result i32)
    (local $i i32) (local $m i32) (local $o i32) (local $c i32) (local $found i32) (local $len i32) (local $t i32) (local $j i32)
    (local.set $i (local.get $k))
    (block $scanned
      (loop $vec
        (br_if $scanned (i32.ge_u (i32.add (local.get $i) (i32.const 3)) (local.get $e)))
        (local.set $m
          (i8x16.bitmask
            (v128.and
              (v128.and (i8x16.eq (v128.load align=1 (local.get $i)) (i8x16.splat (i32.const 47)))           ;; '/'
                        (i8x16.eq (v128.load offset=1 align=1 (local.get $i)) (i8x16.splat (i32.const 108)))) ;; 'l'
              (i8x16.eq (v128.load offset=2 align=1 (local.get $i)) (i8x16.splat (i32.const 100))))))        ;; 'd'
        (block $next
          (loop $each
            (br_if $next (i32.eqz (local.get $m)))
            (local.set $o (i32.add (local.get $i) (i32.ctz (local.get $m))))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (br_if $next (i32.ge_u (i32.add (local.get $o) (i32.const 3)) (local.get $e)))
            (local.set $c (i32.load8_u offset=3 (local.get $o)))
            (if (i32.or (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.eq (local.get $c) (i32.const 46)))
                        (i32.eq (local.get $c) (i32.const 54)))
              (then (local.set $found (i32.const 1)) (br $scanned)))
            (br $each)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vec)))
    (if (i32.eqz (local.get $found)) (then (return (i32.const 0))))
    ;; the caller's list is full: it keeps no more
    (if (i32.ge_u (i32.load (i32.const 124)) (i32.const 4)) (then (return (i32.const 0))))
    ;; the base name: after the last '/' (there is one: "/ld" was found)
    (local.set $o (local.get $e))
    (block $b (loop $l
      (br_if $b (i32.eq (i32.load8_u (i32.sub (local.get $o) (i32.const 1))) (i32.const 47)))
      (local.set $o (i32.sub (local.get $o) (i32.const 1)))
      (br $l)))
    (local.set $len (i32.sub (local.get $e) (local.get $o)))
    (local.set $t (i32.const 0))
    (block $search
      (loop $known
        (br_if $search (i32.ge_u (local.get $t) (i32.load (i32.const 124))))
        (block $differs
          (br_if $differs (i32.ne (local.get $len) (i32.load offset=416 (i32.shl (local.get $t) (i32.const 2)))))
          (local.set $j (i32.const 0))
          (loop $cmp
            (if (i32.lt_u (local.get $j) (local.get $len))
              (then
                (br_if $differs
                  (i32.ne (i32.load8_u (i32.add (local.get $o) (local.get $j)))
                          (i32.load8_u offset=432 (i32.add (i32.shl (local.get $t) (i32.const 6)) (local.get $j)))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $cmp))))
          (return (i32.const 0))) ;; a known one
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $known)))
    (i32.const 1))

  ;; The size table: open addressing on the page count, 2048 slots (the caller keeps at most
  ;; 1024 sizes). Returns the slot of `size`, or the empty slot where it would go.
  (func $sizeSlot (param $size f64) (result i32)
    (local $h i32)
    (local.set $h
      (i32.shr_u
        (i32.mul (i32.wrap_i64 (i64.shr_u (i64.trunc_sat_f64_u (local.get $size)) (i64.const 12)))
                 (i32.const 0x9e3779b1))
        (i32.const 21)))
    (block $found
      (loop $probe
        (br_if $found (i32.eqz (i32.load8_u offset=17408 (local.get $h))))
        (br_if $found (f64.eq (f64.load offset=1024 (i32.shl (local.get $h) (i32.const 3))) (local.get $size)))
        (local.set $h (i32.and (i32.add (local.get $h) (i32.const 1)) (i32.const 2047)))
        (br $probe)))
    (local.get $h))

  ;; The caller's bounds: `size` has room (1) or is full (2).
  (func (export "markSize") (param $size f64) (param $state i32)
    (local $h i32)
    (local.set $h (call $sizeSlot (local.get $size)))
    (f64.store offset=1024 (i32.shl (local.get $h) (i32.const 3)) (local.get $size))
    (i32.store8 offset=17408 (local.get $h) (local.get $state)))

  (func (export "clearSizes")
    (memory.fill (i32.const 17408) (i32.const 0) (i32.const 2048)))

  (func (export "scan") (param $p i32) (param $to i32) (param $bad i32) (param $stopFirst i32) (result i32)
    (local $i i32) (local $s i32) (local $e i32) (local $o i32)
    (local $v v128) (local $v2 v128) (local $t v128) (local $m i32)
    (local $start i64) (local $end i64)
    (local $digits i32) (local $endDigits i32) (local $perms i32) (local $nameAt i32)
    (local $r i32) (local $w i32)
    (local $sp i32) (local $a i32) (local $c i32) (local $b2 i32) (local $b3 i32) (local $want i32)
    (local $inode f64) (local $dev f64) (local $k i32) (local $acc i64) (local $state i32)
    (local $startF f64) (local $endF f64)
    (local $flags i32) (local $prevE f64) (local $boring i32) (local $bits i32)
    (local $lastS i32) (local $lastE i32) (local $prevS f64) (local $notKept i32) (local $unnamedExec i32)
    (local $brackets i32)
    (local.set $flags (i32.load (i32.const 68)))
    (local.set $prevE (f64.load (i32.const 0)))
    (local.set $prevS (f64.load (i32.const 56)))
    (local.set $lastS (i32.const -1))
    (block $out (result i32)
      (loop $line
        (if (i32.ge_u (local.get $p) (local.get $to)) (then (br $out (i32.const 0))))
        (local.set $s (local.get $p))

        ;; start address: 1..13 hex digits, then '-'
        (local.set $v (v128.load align=1 (local.get $s)))
        (local.set $digits (i32.ctz (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 45))))))
        (local.set $m (i32.sub (i32.shl (i32.const 1) (local.get $digits)) (i32.const 1)))
        (if (i32.or (i32.or (i32.eqz (local.get $digits)) (i32.gt_u (local.get $digits) (i32.const 13)))
                    (i32.ne (i32.and (i8x16.bitmask
                      (v128.or
                        (i8x16.le_u (i8x16.sub (local.get $v) (i8x16.splat (i32.const 48))) (i8x16.splat (i32.const 9)))
                        (i8x16.le_u (i8x16.sub (local.get $v) (i8x16.splat (i32.const 97))) (i8x16.splat (i32.const 5))))) (local.get $m)) (local.get $m)))
          (then (br $out (call $jsLine (local.get $s)))))
        ;; its value: digit values (low nibble, +9 for a-f), reversed so that lane k has weight
        ;; 16^k (lanes past the digits read index >= 16, which is 0), pairs of digits into bytes
        (local.set $t (v128.and (i8x16.shr_u (local.get $v) (i32.const 6)) (i8x16.splat (i32.const 1))))
        (local.set $t
          (i8x16.swizzle
            (i8x16.add (v128.and (local.get $v) (i8x16.splat (i32.const 15)))
                       (i8x16.add (i8x16.shl (local.get $t) (i32.const 3)) (local.get $t)))
            (i8x16.sub (i8x16.splat (i32.sub (local.get $digits) (i32.const 1)))
                       (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))))
        (local.set $t
          (v128.or (v128.and (local.get $t) (i16x8.splat (i32.const 0x000f)))
                   (v128.and (i16x8.shr_u (local.get $t) (i32.const 4)) (i16x8.splat (i32.const 0x00f0)))))
        (local.set $start (i64x2.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $t) (local.get $t))))

        ;; end address: 1..13 hex digits, then ' '
        (local.set $i (i32.add (i32.add (local.get $s) (local.get $digits)) (i32.const 1)))
        (local.set $v (v128.load align=1 (local.get $i)))
        (local.set $endDigits (i32.ctz (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 32))))))
        (local.set $m (i32.sub (i32.shl (i32.const 1) (local.get $endDigits)) (i32.const 1)))
        (if (i32.or (i32.or (i32.eqz (local.get $endDigits)) (i32.gt_u (local.get $endDigits) (i32.const 13)))
                    (i32.ne (i32.and (i8x16.bitmask
                      (v128.or
                        (i8x16.le_u (i8x16.sub (local.get $v) (i8x16.splat (i32.const 48))) (i8x16.splat (i32.const 9)))
                        (i8x16.le_u (i8x16.sub (local.get $v) (i8x16.splat (i32.const 97))) (i8x16.splat (i32.const 5))))) (local.get $m)) (local.get $m)))
          (then (br $out (call $jsLine (local.get $s)))))
        ;; its value: digit values (low nibble, +9 for a-f), reversed so that lane k has weight
        ;; 16^k (lanes past the digits read index >= 16, which is 0), pairs of digits into bytes
        (local.set $t (v128.and (i8x16.shr_u (local.get $v) (i32.const 6)) (i8x16.splat (i32.const 1))))
        (local.set $t
          (i8x16.swizzle
            (i8x16.add (v128.and (local.get $v) (i8x16.splat (i32.const 15)))
                       (i8x16.add (i8x16.shl (local.get $t) (i32.const 3)) (local.get $t)))
            (i8x16.sub (i8x16.splat (i32.sub (local.get $endDigits) (i32.const 1)))
                       (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))))
        (local.set $t
          (v128.or (v128.and (local.get $t) (i16x8.splat (i32.const 0x000f)))
                   (v128.and (i16x8.shr_u (local.get $t) (i32.const 4)) (i16x8.splat (i32.const 0x00f0)))))
        (local.set $end (i64x2.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $t) (local.get $t))))

        ;; perms [r-][w-][x-][ps], then ' ': each of the 5 bytes is the first or the second spelling
        (local.set $i (i32.add (i32.add (local.get $i) (local.get $endDigits)) (i32.const 1)))
        (local.set $t (v128.load64_zero align=1 (local.get $i)))
        (local.set $r (i8x16.bitmask (i8x16.eq (local.get $t) (v128.const i8x16 114 119 120 112 32 0 0 0 0 0 0 0 0 0 0 0))))
        (local.set $w (i8x16.bitmask (i8x16.eq (local.get $t) (v128.const i8x16 45 45 45 115 32 0 0 0 0 0 0 0 0 0 0 0))))
        (if (i32.ne (i32.and (i32.or (local.get $r) (local.get $w)) (i32.const 0x1f)) (i32.const 0x1f))
          (then (br $out (call $jsLine (local.get $s)))))
        (local.set $perms
          (i32.or
            (i32.or (i32.shl (i32.and (local.get $r) (i32.const 1)) (i32.const 3))
                    (i32.shl (i32.and (local.get $r) (i32.const 2)) (i32.const 1)))
            (i32.or (i32.shr_u (i32.and (local.get $r) (i32.const 4)) (i32.const 1))
                    (i32.and (i32.shr_u (local.get $w) (i32.const 3)) (i32.const 1)))))

        ;; "offset major:minor inode " within the next 32 bytes, from masks:
        ;; a = the offset's ' ', c = the ':', b2 = the minor's ' ', b3 = the inode's ' '.
        (local.set $o (i32.add (local.get $i) (i32.const 5)))
        (local.set $v (v128.load align=1 (local.get $o)))
        (local.set $v2 (v128.load offset=16 align=1 (local.get $o)))
        (local.set $t (i8x16.splat (i32.const 32)))
        (local.set $sp (i32.or (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $t)))
                               (i32.shl (i8x16.bitmask (i8x16.eq (local.get $v2) (local.get $t))) (i32.const 16))))
        (local.set $t (i8x16.splat (i32.const 58)))
        (local.set $c (i32.or (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $t)))
                              (i32.shl (i8x16.bitmask (i8x16.eq (local.get $v2) (local.get $t))) (i32.const 16))))
        (local.set $a (i32.ctz (local.get $sp)))
        ;; the first ':' after the offset's ' ', then the next two spaces (32: none)
        (local.set $c (i32.ctz (i32.and (local.get $c) (i32.shl (i32.const -2) (local.get $a)))))
        (local.set $b2 (i32.ctz (i32.and (local.get $sp) (i32.shl (i32.const -2) (local.get $c)))))
        (local.set $b3 (i32.ctz (i32.and (local.get $sp) (i32.shl (i32.const -2) (local.get $b2)))))
        ;; (shifts count mod 32: a separator at 31 or none leaves garbage, refused by the widths)
        ;; Each field 1 byte or more; major and minor at most 8 hex digits and the inode at most 15
        ;; decimal ones (the caller's arithmetic stays exact); all within the 32 bytes.
        (if (i32.or
              (i32.or (i32.ge_u (local.get $b3) (i32.const 31)) (i32.eqz (local.get $a)))
              (i32.or
                (i32.or (i32.lt_u (i32.sub (local.get $c) (local.get $a)) (i32.const 2))
                        (i32.gt_u (i32.sub (local.get $c) (local.get $a)) (i32.const 9)))
                (i32.or
                  (i32.or (i32.lt_u (i32.sub (local.get $b2) (local.get $c)) (i32.const 2))
                          (i32.gt_u (i32.sub (local.get $b2) (local.get $c)) (i32.const 9)))
                  (i32.or (i32.lt_u (i32.sub (local.get $b3) (local.get $b2)) (i32.const 2))
                          (i32.gt_u (i32.sub (local.get $b3) (local.get $b2)) (i32.const 16))))))
          (then (br $out (call $jsLine (local.get $s)))))
        ;; hex digits everywhere before b2 but at a and c
        (local.set $want
          (i32.xor (i32.sub (i32.shl (i32.const 1) (local.get $b2)) (i32.const 1))
                   (i32.or (i32.shl (i32.const 1) (local.get $a)) (i32.shl (i32.const 1) (local.get $c)))))
        (if (i32.ne (i32.and (i32.or (i8x16.bitmask
                      (v128.or
                        (i8x16.le_u (i8x16.sub (local.get $v) (i8x16.splat (i32.const 48))) (i8x16.splat (i32.const 9)))
                        (i8x16.le_u (i8x16.sub (local.get $v) (i8x16.splat (i32.const 97))) (i8x16.splat (i32.const 5)))))
                                     (i32.shl (i8x16.bitmask
                      (v128.or
                        (i8x16.le_u (i8x16.sub (local.get $v2) (i8x16.splat (i32.const 48))) (i8x16.splat (i32.const 9)))
                        (i8x16.le_u (i8x16.sub (local.get $v2) (i8x16.splat (i32.const 97))) (i8x16.splat (i32.const 5))))) (i32.const 16)))
                             (local.get $want))
                    (local.get $want))
          (then (br $out (call $jsLine (local.get $s)))))
        ;; the inode: decimal digits between b2 and b3
        (local.set $k (i32.add (i32.add (local.get $o) (local.get $b2)) (i32.const 1)))
        (local.set $e (i32.add (local.get $o) (local.get $b3)))
        (local.set $acc (i64.const 0))
        (block $dec (loop $digit
          (br_if $dec (i32.ge_u (local.get $k) (local.get $e)))
          (local.set $m (i32.sub (i32.load8_u (local.get $k)) (i32.const 48)))
          (if (i32.gt_u (local.get $m) (i32.const 9)) (then (br $out (call $jsLine (local.get $s)))))
          (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 10)) (i64.extend_i32_u (local.get $m))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $digit)))
        (local.set $inode (f64.convert_i64_u (local.get $acc)))

        ;; padding, then the name or the end of the line
        (local.set $i (i32.add (local.get $k) (i32.const 1)))
        (loop $pad
          (local.set $m
            (i32.xor (i32.const 0xffff)
              (i8x16.bitmask (i8x16.eq (v128.load align=1 (local.get $i)) (i8x16.splat (i32.const 32))))))
          (if (i32.eqz (local.get $m))
            (then (local.set $i (i32.add (local.get $i) (i32.const 16))) (br $pad))))
        (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $m))))
        (local.set $nameAt (i32.const -1))
        (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 10))
          (then
            (local.set $nameAt (local.get $i))
            ;; the '\n', noting any '[' after the name's first byte on the way: such a name may
            ;; hold a kernel message the console printed into the line (the caller reads it)
            (local.set $brackets (i32.const 0))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (loop $nl
              (local.set $v (v128.load align=1 (local.get $i)))
              (local.set $m (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10)))))
              (local.set $brackets
                (i32.or (local.get $brackets)
                  (i32.and (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 91))))
                           ;; only bytes before the '\n' (all 16 when there is none yet)
                           (i32.sub (i32.and (local.get $m) (i32.sub (i32.const 0) (local.get $m))) (i32.const 1)))))
              (if (i32.eqz (local.get $m))
                (then (local.set $i (i32.add (local.get $i) (i32.const 16))) (br $nl))))
            (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $m))))))
        (local.set $e (local.get $i))
        (if (i32.lt_s (local.get $bad) (local.get $e))
          (then (br $out (call $jsLine (local.get $s)))))
        ;; any '[' in the name (a special name, or a kernel message the console printed into the
        ;; line): the caller reads the line itself
        (if (i32.ge_s (local.get $nameAt) (i32.const 0))
          (then
            (if (i32.or (local.get $brackets) (i32.eq (i32.load8_u (local.get $nameAt)) (i32.const 91)))
              (then (br $out (call $jsLine (local.get $s)))))))
        (local.set $startF (f64.convert_i64_u (local.get $start)))
        (local.set $endF (f64.convert_i64_u (local.get $end)))
        (local.set $dev (f64.const 0))
        (if (i32.ge_s (local.get $nameAt) (i32.const 0))
          (then
            (local.set $dev
              (f64.add
                (f64.mul
                  (f64.convert_i64_u
                    (call $hexValue (v128.load align=1 (i32.add (i32.add (local.get $o) (local.get $a)) (i32.const 1)))
                                    (i32.sub (i32.sub (local.get $c) (local.get $a)) (i32.const 1))))
                  (f64.const 1048576))
                (f64.convert_i64_u
                  (call $hexValue (v128.load align=1 (i32.add (i32.add (local.get $o) (local.get $c)) (i32.const 1)))
                                  (i32.sub (i32.sub (local.get $b2) (local.get $c)) (i32.const 1))))))))

        ;; Boring? Anything else is for the caller.
        (block $interesting
          (br_if $interesting (local.get $stopFirst))
          ;; Kernel bits not settled at 64: a line that can tell them is for the caller (more than
          ;; 8 digits or an end above 4 GiB; a name at column 73, or at 49 unless 32 is settled).
          (if (i32.eqz (i32.and (local.get $flags) (i32.const 8)))
            (then
              (br_if $interesting (i32.gt_u (local.get $digits) (i32.const 8)))
              (br_if $interesting (f64.gt (local.get $endF) (f64.const 4294967295)))
              (if (i32.ge_s (local.get $nameAt) (i32.const 0))
                (then
                  (local.set $m (i32.sub (local.get $nameAt) (local.get $s)))
                  (br_if $interesting (i32.eq (local.get $m) (i32.const 73)))
                  (br_if $interesting (i32.and (i32.eq (local.get $m) (i32.const 49))
                                               (i32.eqz (i32.and (local.get $flags) (i32.const 32)))))))))
          (br_if $interesting (i32.and (i32.and (local.get $flags) (i32.const 1))
                                       (f64.lt (local.get $startF) (local.get $prevE))))
          (br_if $interesting (f64.le (local.get $endF) (local.get $startF)))
          (if (i32.lt_s (local.get $nameAt) (i32.const 0))
            (then
              (if (i32.eqz (i32.load8_u offset=128 (local.get $perms)))
                (then
                  ;; one the filter takes: refused only if its size has no room left
                  (local.set $state
                    (i32.load8_u offset=17408 (call $sizeSlot (f64.sub (local.get $endF) (local.get $startF)))))
                  (br_if $interesting (i32.eq (local.get $state) (i32.const 1)))
                  (br_if $interesting (i32.and (i32.eqz (local.get $state))
                                               (i32.eqz (i32.and (local.get $flags) (i32.const 16)))))
                  (local.set $notKept (i32.add (local.get $notKept) (i32.const 1)))))
              (local.set $unnamedExec
                (i32.add (local.get $unnamedExec) (i32.shr_u (i32.and (local.get $perms) (i32.const 2)) (i32.const 1)))))
            (else
              (br_if $interesting (i32.eqz (i32.and (local.get $flags) (i32.const 2))))
              (if (i32.eqz (i32.and (local.get $flags) (i32.const 4)))
                (then
                  (if (i32.or
                        (i32.or (f64.ne (local.get $dev) (f64.load (i32.const 24)))
                                (f64.ne (local.get $inode) (f64.load (i32.const 32))))
                        (i32.ne (i32.sub (local.get $e) (local.get $nameAt)) (i32.load (i32.const 64))))
                    (then
                      ;; another file: the caller collects its triplet, if it is a new one
                      (br_if $interesting (call $newTriplet (local.get $nameAt) (local.get $e)))
                      (br_if $interesting (call $newLoader (local.get $nameAt) (local.get $e)))
                      (f64.store (i32.const 24) (local.get $dev))
                      (f64.store (i32.const 32) (local.get $inode))
                      (i32.store (i32.const 64) (i32.sub (local.get $e) (local.get $nameAt)))))))))
          ;; a boring line: count it and go on
          (local.set $boring (i32.add (local.get $boring) (i32.const 1)))
          (local.set $bits (i32.or (local.get $bits)
            (i32.and (i32.or (i32.wrap_i64 (local.get $start)) (i32.wrap_i64 (local.get $end))) (i32.const 0x3ffff))))
          (local.set $prevE (local.get $endF))
          (local.set $prevS (local.get $startF))
          (local.set $flags (i32.or (local.get $flags) (i32.const 1)))
          (local.set $lastS (local.get $s))
          (local.set $lastE (local.get $e))
          (local.set $p (i32.add (local.get $e) (i32.const 1)))
          (br $line))

        ;; an interesting clean line: hand it over
        (f64.store (i32.const 8) (local.get $startF))
        (f64.store (i32.const 16) (local.get $endF))
        (f64.store (i32.const 40) (local.get $dev))
        (f64.store (i32.const 48) (local.get $inode))
        (i32.store (i32.const 72) (local.get $s))
        (i32.store (i32.const 76) (local.get $e))
        (i32.store (i32.const 80) (local.get $nameAt))
        (i32.store (i32.const 84) (local.get $perms))
        (i32.store (i32.const 88) (local.get $digits))
        (i32.store (i32.const 92) (local.get $endDigits))
        (br $out (i32.const 1)))
      (unreachable))
    ;; every exit: the sums of the boring lines
    (i32.store (i32.const 96) (local.get $boring))
    (i32.store (i32.const 100) (local.get $bits))
    (i32.store (i32.const 104) (local.get $lastS))
    (i32.store (i32.const 108) (local.get $lastE))
    (i32.store (i32.const 112) (local.get $notKept))
    (i32.store (i32.const 116) (local.get $unnamedExec))
    (f64.store (i32.const 0) (local.get $prevE))
    (f64.store (i32.const 56) (local.get $prevS)))

  ;; status 2: the caller reads the line at s itself
  (func $jsLine (param $s i32) (result i32)
    (i32.store (i32.const 72) (local.get $s))
    (i32.const 2))
)
