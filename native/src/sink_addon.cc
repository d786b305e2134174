// N-API glue of the bench's viewer sink (sink.h), its own addon (canopy_sink.node) so the data
// plane's addon carries none of it. Control calls only: no callbacks, the JS side polls.
#define NAPI_VERSION 8
#include <arpa/inet.h>
#include <napi.h>
#include "sink.h"

using namespace canopy;

namespace {

std::string str(const Napi::Object& o, const char* k) {
  Napi::Value v = o.Get(k);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
}

class NativeSink : public Napi::ObjectWrap<NativeSink> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "NativeSink",
                       {InstanceMethod("create", &NativeSink::Create), InstanceMethod("start", &NativeSink::Start),
                        InstanceMethod("close", &NativeSink::Close), InstanceMethod("info", &NativeSink::Info),
                        InstanceMethod("totals", &NativeSink::Totals), InstanceMethod("shutdown", &NativeSink::Shutdown),
                        InstanceAccessor("fingerprint", &NativeSink::Fingerprint, nullptr)});
  }

  explicit NativeSink(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeSink>(info) {
    Napi::Env env = info.Env();
    int threads = info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 1;
    set_ = std::make_unique<SinkSet>(threads);
    std::string err;
    if (!set_->init(err)) {
      set_.reset();
      Napi::Error::New(env, "sink: " + err).ThrowAsJavaScriptException();
      return;
    }
    env_ = env;
    napi_add_env_cleanup_hook(env, &NativeSink::OnCleanup, this);
    hooked_ = true;
  }

  ~NativeSink() override { shutdown(); }

 private:
  static void OnCleanup(void* self) {
    auto* me = static_cast<NativeSink*>(self);
    me->hooked_ = false;
    me->shutdown();
  }
  void shutdown() {
    if (hooked_) {
      hooked_ = false;
      napi_remove_env_cleanup_hook(env_, &NativeSink::OnCleanup, this);
    }
    if (set_) set_->stop();
    set_.reset();
  }

  Napi::Value Create(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!set_) return env.Null();
    std::string bind = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "127.0.0.1";
    int port = 0;
    std::string ufrag, pwd, err;
    uint64_t id = set_->create(bind, port, ufrag, pwd, err);
    if (!id) {
      Napi::Error::New(env, "sink: " + err).ThrowAsJavaScriptException();
      return env.Null();
    }
    Napi::Object o = Napi::Object::New(env);
    o.Set("id", Napi::Number::New(env, double(id)));
    o.Set("port", Napi::Number::New(env, port));
    o.Set("ufrag", Napi::String::New(env, ufrag));
    o.Set("pwd", Napi::String::New(env, pwd));
    return o;
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!set_ || !info[0].IsNumber() || !info[1].IsObject()) return Napi::Boolean::New(env, false);
    Napi::Object o = info[1].As<Napi::Object>();
    SinkStartOptions so;
    so.remoteUfrag = str(o, "remoteUfrag");
    so.remotePwd = str(o, "remotePwd");
    so.fingerprintAlgo = str(o, "fingerprintAlgorithm");
    so.fingerprint = str(o, "fingerprint");
    so.dtlsClient = o.Get("dtlsClient").ToBoolean().Value();
    so.controlling = o.Get("controlling").ToBoolean().Value();
    so.videoPt = o.Get("videoPt").IsNumber() ? o.Get("videoPt").As<Napi::Number>().Int32Value() : -1;
    std::string host = str(o, "host");
    int port = o.Get("port").IsNumber() ? o.Get("port").As<Napi::Number>().Int32Value() : 0;
    auto* a4 = reinterpret_cast<sockaddr_in*>(&so.remote);
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&so.remote);
    if (port <= 0 || port > 65535 || so.remoteUfrag.empty() || so.remotePwd.empty()) {
      Napi::RangeError::New(env, "sink.start: bad remote port or ICE credentials").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (inet_pton(AF_INET, host.c_str(), &a4->sin_addr) == 1) {
      a4->sin_family = AF_INET;
      a4->sin_port = htons(uint16_t(port));
      so.remoteLen = sizeof(sockaddr_in);
    } else if (inet_pton(AF_INET6, host.c_str(), &a6->sin6_addr) == 1) {
      a6->sin6_family = AF_INET6;
      a6->sin6_port = htons(uint16_t(port));
      so.remoteLen = sizeof(sockaddr_in6);
    } else {
      Napi::RangeError::New(env, "sink.start: bad remote host " + host).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    return Napi::Boolean::New(env, set_->start(uint64_t(info[0].As<Napi::Number>().Int64Value()), so));
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    if (set_ && info[0].IsNumber()) set_->close(uint64_t(info[0].As<Napi::Number>().Int64Value()));
    return info.Env().Undefined();
  }

  Napi::Value Info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    SinkInfo si;
    if (!set_ || !info[0].IsNumber() || !set_->info(uint64_t(info[0].As<Napi::Number>().Int64Value()), si)) return env.Null();
    static const char* kStates[] = {"new", "checking", "handshaking", "connected", "failed", "closed"};
    Napi::Object o = Napi::Object::New(env);
    o.Set("state", Napi::String::New(env, kStates[si.state]));
    o.Set("startedAt", Napi::Number::New(env, si.startedAt));
    o.Set("connectedAt", Napi::Number::New(env, si.connectedAt));
    o.Set("firstPacketAt", Napi::Number::New(env, si.firstPacketAt));
    if (!si.error.empty()) o.Set("error", Napi::String::New(env, si.error));
    return o;
  }

  Napi::Value Totals(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    if (!set_) return o;
    SinkTotals t = set_->totals();
#define T(name) o.Set(#name, Napi::Number::New(env, double(t.name)))
    T(created);
    T(connecting);
    T(connected);
    T(stalled);
    T(failed);
    T(closed);
    T(packets);
    T(bytes);
    T(expected);
    T(videoPackets);
    T(videoExpected);
    T(rtcpIn);
    T(rtcpOut);
    T(authOk);
    T(authFail);
    T(authReplay);
    T(stunIn);
    T(stunOut);
    T(recvCalls);
#undef T
    return o;
  }

  Napi::Value Shutdown(const Napi::CallbackInfo& info) {
    shutdown();
    return info.Env().Undefined();
  }

  Napi::Value Fingerprint(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), set_ ? set_->fingerprint() : std::string()); }

  std::unique_ptr<SinkSet> set_;
  napi_env env_ = nullptr;
  bool hooked_ = false;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeSink", NativeSink::Init(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(canopy_sink, Init)
