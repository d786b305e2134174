// The JavaScript face of Aes128Gcm (aead.h): `new PipeGcm(key)`, then seal/open in place on
// the caller's buffers. Every length comes from JavaScript and is checked against the buffer
// before OpenSSL sees it.
#define NAPI_VERSION 8
#include <napi.h>

#include <memory>

#include "aead.h"

namespace canopy {
namespace {

class PipeGcm : public Napi::ObjectWrap<PipeGcm> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "PipeGcm", {InstanceMethod("seal", &PipeGcm::Seal), InstanceMethod("open", &PipeGcm::Open)});
  }

  explicit PipeGcm(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PipeGcm>(info) {
    if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::Uint8Array>().ByteLength() != 16) {
      Napi::TypeError::New(info.Env(), "PipeGcm: a 16-byte key").ThrowAsJavaScriptException();
      return;
    }
    ok_ = gcm_.init(info[0].As<Napi::Uint8Array>().Data());
  }

 private:
  // seal(iv12, buf, aadLen, n): encrypts buf[aadLen, aadLen + n) and writes the tag after it.
  Napi::Value Seal(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint8_t* iv;
    uint8_t* buf;
    size_t len, aad, n;
    if (!ok_ || !args(info, iv, buf, len, aad) || !info[3].IsNumber()) return Napi::Boolean::New(env, false);
    double dn = info[3].As<Napi::Number>().DoubleValue();
    if (!(dn >= 0) || dn > double(len)) return Napi::Boolean::New(env, false);
    n = size_t(dn);
    if (aad + n + 16 > len) return Napi::Boolean::New(env, false);
    return Napi::Boolean::New(env, gcm_.seal(iv, buf, aad, buf + aad, n, buf + aad + n));
  }

  // open(iv12, buf, aadLen): checks the tag (buf's last 16 bytes) and decrypts buf[aadLen, len - 16).
  Napi::Value Open(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint8_t* iv;
    uint8_t* buf;
    size_t len, aad;
    if (!ok_ || !args(info, iv, buf, len, aad) || aad + 16 > len) return Napi::Boolean::New(env, false);
    return Napi::Boolean::New(env, gcm_.open(iv, buf, aad, buf + aad, len - aad - 16, buf + len - 16));
  }

  static bool args(const Napi::CallbackInfo& info, uint8_t*& iv, uint8_t*& buf, size_t& len, size_t& aad) {
    if (info.Length() < 3 || !info[0].IsTypedArray() || !info[1].IsTypedArray() || !info[2].IsNumber()) return false;
    auto i = info[0].As<Napi::Uint8Array>();
    auto b = info[1].As<Napi::Uint8Array>();
    if (i.ByteLength() != 12) return false;
    double a = info[2].As<Napi::Number>().DoubleValue();
    if (!(a >= 0) || a > double(b.ByteLength())) return false;
    iv = i.Data();
    buf = b.Data();
    len = b.ByteLength();
    aad = size_t(a);
    return true;
  }

  Aes128Gcm gcm_;
  bool ok_ = false;
};

}  // namespace

Napi::Function InitPipeGcm(Napi::Env env) { return PipeGcm::Init(env); }

}  // namespace canopy
