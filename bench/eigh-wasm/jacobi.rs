// Cyclic Jacobi (the algorithm of runtime/executors/host/jacobi-eigen.ts, operation for operation)
// compiled to WebAssembly, for bench:eigh's "WebAssembly vs JavaScript, same algorithm" rows.
//
// Why #![no_core]: this machine has no wasm32 standard library for rustc (`rustup target list
// --installed` lists x86_64 only, and there is no rust-src for -Z build-std) and no emscripten or
// clang, but rustc's own LLVM can emit wasm32 and its rust-lld links it. Without `core`, the few
// language items the code uses (copying, arithmetic, comparison) are declared below, and pointers
// are offset by integer arithmetic. Build (nightly, for the feature gates):
//   rustc +nightly --target wasm32-unknown-unknown --crate-type cdylib -C opt-level=3 \
//     -C panic=abort -C target-feature=+simd128 jacobi.rs -o jacobi.wasm
#![feature(no_core, lang_items, intrinsics, rustc_attrs)]
#![allow(internal_features)]
#![no_core]
#![no_std]

#[lang = "pointee_sized"] pub trait PointeeSized {}
#[lang = "meta_sized"] pub trait MetaSized: PointeeSized {}
#[lang = "sized"] pub trait Sized: MetaSized {}
#[lang = "copy"] pub trait Copy {}
#[lang = "legacy_receiver"] pub trait LegacyReceiver {}
impl Copy for f64 {}
impl Copy for usize {}
impl Copy for i32 {}
impl Copy for bool {}
impl<T: ?Sized> Copy for *mut T {}
impl<T: ?Sized> Copy for &T {}
impl<T: ?Sized> LegacyReceiver for &T {}

#[lang = "add"] pub trait Add<Rhs = Self> { type Output; fn add(self, rhs: Rhs) -> Self::Output; }
#[lang = "sub"] pub trait Sub<Rhs = Self> { type Output; fn sub(self, rhs: Rhs) -> Self::Output; }
#[lang = "mul"] pub trait Mul<Rhs = Self> { type Output; fn mul(self, rhs: Rhs) -> Self::Output; }
#[lang = "div"] pub trait Div<Rhs = Self> { type Output; fn div(self, rhs: Rhs) -> Self::Output; }
#[lang = "neg"] pub trait Neg { type Output; fn neg(self) -> Self::Output; }
macro_rules! arith { ($($t:ty),*) => { $(
  impl Add for $t { type Output = $t; fn add(self, r: $t) -> $t { self + r } }
  impl Sub for $t { type Output = $t; fn sub(self, r: $t) -> $t { self - r } }
  impl Mul for $t { type Output = $t; fn mul(self, r: $t) -> $t { self * r } }
  impl Div for $t { type Output = $t; fn div(self, r: $t) -> $t { self / r } }
)* } }
arith!(f64, usize, i32);
impl Neg for f64 { type Output = f64; fn neg(self) -> f64 { -self } }
impl Neg for i32 { type Output = i32; fn neg(self) -> i32 { -self } }
#[lang = "eq"] pub trait PartialEq<Rhs: ?Sized = Self> { fn eq(&self, other: &Rhs) -> bool; fn ne(&self, other: &Rhs) -> bool { !self.eq(other) } }
#[lang = "partial_ord"] pub trait PartialOrd<Rhs: ?Sized = Self>: PartialEq<Rhs> {
  fn lt(&self, other: &Rhs) -> bool; fn le(&self, other: &Rhs) -> bool; fn gt(&self, other: &Rhs) -> bool; fn ge(&self, other: &Rhs) -> bool; }
#[lang = "not"] pub trait Not { type Output; fn not(self) -> Self::Output; }
impl Not for bool { type Output = bool; fn not(self) -> bool { !self } }
macro_rules! cmp { ($($t:ty),*) => { $(
  impl PartialEq for $t { fn eq(&self, o: &$t) -> bool { *self == *o } fn ne(&self, o: &$t) -> bool { *self != *o } }
  impl PartialOrd for $t { fn lt(&self, o: &$t) -> bool { *self < *o } fn le(&self, o: &$t) -> bool { *self <= *o } fn gt(&self, o: &$t) -> bool { *self > *o } fn ge(&self, o: &$t) -> bool { *self >= *o } }
)* } }
cmp!(f64, usize, i32);

#[rustc_intrinsic] fn sqrtf64(x: f64) -> f64;

#[inline(always)] unsafe fn at(p: *mut f64, i: usize) -> *mut f64 { (p as usize + i * 8) as *mut f64 }
#[inline(always)] fn sqrt(x: f64) -> f64 { sqrtf64(x) }
#[inline(always)] fn fabs(x: f64) -> f64 { if x < 0.0 { -x } else { x } }

/// Eigenvalues (on a's diagonal) and eigenvectors (v's columns) of the symmetric k x k row-major
/// matrix at `a`; the sweeps taken, or -1 if `max_sweeps` were not enough.
#[no_mangle]
pub unsafe extern "C" fn jacobi(a: *mut f64, v: *mut f64, k: i32, max_sweeps: i32) -> i32 {
  let k = k as usize;
  let mut i = 0; while i < k * k { *at(v, i) = 0.0; i = i + 1; }
  let mut r = 0; while r < k { *at(v, r * k + r) = 1.0; r = r + 1; }
  let mut frob2 = 0.0; i = 0; while i < k * k { frob2 = frob2 + *at(a, i) * *at(a, i); i = i + 1; }
  let eps = 2.220446049250313e-16;
  let target = eps * eps * frob2;
  let mut sweep = 0;
  loop {
    let mut off2 = 0.0;
    let mut p = 0; while p < k { let mut q = p + 1; while q < k { let x = *at(a, p * k + q); off2 = off2 + 2.0 * x * x; q = q + 1; } p = p + 1; }
    if off2 <= target { return sweep; }
    if sweep >= max_sweeps { return -1; }
    p = 0;
    while p + 1 < k {
      let mut q = p + 1;
      while q < k {
        let apq = *at(a, p * k + q);
        if apq != 0.0 {
          let theta = (*at(a, q * k + q) - *at(a, p * k + p)) / (2.0 * apq);
          let sgn = if theta >= 0.0 { 1.0 } else { -1.0 };
          let t = sgn / (fabs(theta) + sqrt(theta * theta + 1.0));
          let c = 1.0 / sqrt(t * t + 1.0);
          let s = t * c;
          let mut r = 0;
          while r < k {
            let arp = *at(a, r * k + p); let arq = *at(a, r * k + q);
            *at(a, r * k + p) = c * arp - s * arq; *at(a, r * k + q) = s * arp + c * arq;
            let vrp = *at(v, r * k + p); let vrq = *at(v, r * k + q);
            *at(v, r * k + p) = c * vrp - s * vrq; *at(v, r * k + q) = s * vrp + c * vrq;
            r = r + 1;
          }
          let mut col = 0;
          while col < k {
            let apc = *at(a, p * k + col); let aqc = *at(a, q * k + col);
            *at(a, p * k + col) = c * apc - s * aqc; *at(a, q * k + col) = s * apc + c * aqc;
            col = col + 1;
          }
          *at(a, p * k + q) = 0.0; *at(a, q * k + p) = 0.0;
        }
        q = q + 1;
      }
      p = p + 1;
    }
    sweep = sweep + 1;
  }
}
