// N-API glue (node-addon-api, C++ exceptions off: errors are returned or thrown as JS errors
// by hand). One NativeServer per engine; events cross to JS through one ThreadSafeFunction
// that drains the server's queue in batches.
#define NAPI_VERSION 8
#include <malloc.h>

#include <napi.h>
#include <arpa/inet.h>
#include "server.h"
#include "validate.h"

using namespace canopy;

namespace canopy {
// The pipe's AES-GCM (aead_addon.cc).
Napi::Function InitPipeGcm(Napi::Env env);
}  // namespace canopy

namespace {

std::string str(const Napi::Object& o, const char* k) {
  Napi::Value v = o.Get(k);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
}
double num(const Napi::Object& o, const char* k, double d) {
  Napi::Value v = o.Get(k);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : d;
}
bool flag(const Napi::Object& o, const char* k, bool d) {
  Napi::Value v = o.Get(k);
  return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : d;
}

class NativeServer : public Napi::ObjectWrap<NativeServer> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "NativeServer",
                       {InstanceMethod("addViewer", &NativeServer::AddViewer), InstanceMethod("removeViewer", &NativeServer::RemoveViewer),
                        InstanceMethod("send", &NativeServer::Send), InstanceMethod("createGroup", &NativeServer::CreateGroup),
                        InstanceMethod("destroyGroup", &NativeServer::DestroyGroup), InstanceMethod("addMember", &NativeServer::AddMember),
                        InstanceMethod("removeMember", &NativeServer::RemoveMember),
                        InstanceMethod("moveMember", &NativeServer::MoveMember), InstanceMethod("groupSend", &NativeServer::GroupSend),
                        InstanceMethod("sendReports", &NativeServer::SendReports),
                        InstanceMethod("configureProbe", &NativeServer::ConfigureProbe), InstanceMethod("probe", &NativeServer::Probe),
                        InstanceMethod("setRetransmitShare", &NativeServer::SetRetransmitShare), InstanceMethod("bury", &NativeServer::Bury),
                        InstanceMethod("setTemporalCap", &NativeServer::SetTemporalCap),
                        InstanceMethod("groupTemporalBytes", &NativeServer::GroupTemporalBytes),
                        InstanceMethod("temporalWaitsForKeyframe", &NativeServer::TemporalWaitsForKeyframe),
                        InstanceMethod("temporalFramesDropped", &NativeServer::TemporalFramesDropped),
                        InstanceMethod("stats", &NativeServer::Stats),
                        InstanceMethod("viewerAddress", &NativeServer::ViewerAddress), InstanceMethod("close", &NativeServer::Close),
                        InstanceAccessor("tcpPort", &NativeServer::TcpPort, nullptr),
                        InstanceAccessor("port", &NativeServer::Port, nullptr), InstanceAccessor("fingerprint", &NativeServer::Fingerprint, nullptr)});
  }

  explicit NativeServer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeServer>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
      Napi::TypeError::New(env, "NativeServer(options, onEvents)").ThrowAsJavaScriptException();
      return;
    }
    Napi::Object o = info[0].As<Napi::Object>();
    ServerOptions so;
    so.bindAddress = str(o, "bind");
    if (so.bindAddress.empty()) so.bindAddress = "127.0.0.1";
    so.port = int(num(o, "port", 0));
    so.dataThreads = int(num(o, "dataThreads", 1));
    so.consentTimeoutMs = int(num(o, "consentTimeoutMs", 30000));
    so.disconnectAfterMs = int(num(o, "disconnectAfterMs", 10000));
    so.sendmmsg = flag(o, "sendmmsg", true);
    so.tcpPort = int(num(o, "tcpPort", -1));
    if (so.tcpPort < -1 || so.tcpPort > 65535 || so.port < 0 || so.port > 65535 || so.dataThreads < 1 || so.dataThreads > 64) {
      Napi::RangeError::New(env, "bad port or dataThreads").ThrowAsJavaScriptException();
      return;
    }
    server_ = std::make_shared<Server>(so);
    tsfn_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "canopy-native-events", 0, 1);
    // Until close() the event function keeps the loop alive only while events are pending.
    tsfn_.Unref(env);
    // A queued delivery may run after this object is gone (closed, then collected): it holds
    // only a weak reference to the server, never `this`.
    std::weak_ptr<Server> weak = server_;
    server_->setNotify([this, weak] { tsfn_.NonBlockingCall([weak](Napi::Env e, Napi::Function fn) { deliver(weak, e, fn); }); });
    // At environment teardown (process or worker exit with the engine still open) Node closes
    // the ThreadSafeFunction in its own cleanup hook: ours, added after it, runs first and
    // stops the threads that would otherwise still call into it.
    env_ = env;
    napi_add_env_cleanup_hook(env, &NativeServer::OnEnvCleanup, this);
    hooked_ = true;
    std::string err;
    if (!server_->start(err)) {
      Napi::Error::New(env, "native data plane: " + err).ThrowAsJavaScriptException();
      server_.reset();
      tsfn_.Release();
      released_ = true;
    }
  }

  ~NativeServer() override { shutdown(); }

 private:
  static void OnEnvCleanup(void* self) {
    auto* me = static_cast<NativeServer*>(self);
    me->hooked_ = false;  // Node drops the hook itself after running it
    me->shutdown();
  }

  void shutdown() {
    if (hooked_) {
      hooked_ = false;
      napi_remove_env_cleanup_hook(env_, &NativeServer::OnEnvCleanup, this);
    }
    if (server_) {
      // Threads first: after stop() nothing emits, so the notifier can go without a race.
      server_->stop();
      server_->setNotify(nullptr);
      server_.reset();
    }
    if (!released_) {
      released_ = true;
      tsfn_.Release();
    }
  }

  static void deliver(const std::weak_ptr<Server>& weak, Napi::Env env, Napi::Function fn) {
    std::shared_ptr<Server> server = weak.lock();
    if (!server || env == nullptr || fn.IsEmpty()) return;
    std::vector<Event> evs;
    server->drainEvents(evs);
    if (evs.empty()) return;
    Napi::Array arr = Napi::Array::New(env, evs.size());
    for (size_t i = 0; i < evs.size(); i++) {
      Event& e = evs[i];
      Napi::Object o = Napi::Object::New(env);
      o.Set("viewer", Napi::Number::New(env, double(e.viewer)));
      o.Set("type", Napi::Number::New(env, e.type));
      if (!e.text.empty()) o.Set("text", Napi::String::New(env, e.text));
      if (!e.data.empty()) o.Set("data", Napi::Buffer<uint8_t>::Copy(env, e.data.data(), e.data.size()));
      if (e.repair[0]) {
        Napi::Array r = Napi::Array::New(env, 5);
        for (uint32_t k = 0; k < 5; k++) r.Set(k, Napi::Number::New(env, e.repair[k]));
        o.Set("repair", r);
      }
      arr.Set(uint32_t(i), o);
    }
    fn.Call({arr});
  }

  bool alive(const Napi::CallbackInfo& info) {
    if (server_) return true;
    Napi::Error::New(info.Env(), "native server closed").ThrowAsJavaScriptException();
    return false;
  }

  Napi::Value AddViewer(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!alive(info)) return env.Undefined();
    if (!info[0].IsObject()) {
      Napi::TypeError::New(env, "addViewer(options)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Object o = info[0].As<Napi::Object>();
    ViewerOptions vo;
    vo.localUfrag = str(o, "localUfrag");
    vo.localPwd = str(o, "localPwd");
    vo.remoteUfrag = str(o, "remoteUfrag");
    vo.fingerprintAlgo = str(o, "fingerprintAlgorithm");
    vo.fingerprint = str(o, "fingerprint");
    vo.dtlsClient = flag(o, "dtlsClient", false);
    vo.receiveRtp = flag(o, "receiveRtp", false);
    vo.twccExtId = int(num(o, "twccExtId", 0));
    if (vo.twccExtId < 0 || vo.twccExtId > 14) vo.twccExtId = 0;  // the one-byte form's ids (RFC 8285 §4.2)
    // RFC 8839 §5.4: ufrag 4-256, pwd 22-256 ice-chars.
    if (!iceToken(vo.localUfrag, 4, 256) || !iceToken(vo.localPwd, 22, 256) || !iceToken(vo.remoteUfrag, 4, 256) ||
        !fingerprintHex(vo.fingerprint) || !fingerprintAlgorithm(vo.fingerprintAlgo)) {
      Napi::RangeError::New(env, "bad ICE credentials or fingerprint").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    return Napi::Number::New(env, double(server_->addViewer(vo)));
  }

  Napi::Value RemoveViewer(const Napi::CallbackInfo& info) {
    if (server_ && info[0].IsNumber()) server_->removeViewer(uint64_t(info[0].As<Napi::Number>().Int64Value()));
    return info.Env().Undefined();
  }

  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!server_ || !info[0].IsNumber() || !info[1].IsTypedArray()) return Napi::Boolean::New(env, false);
    auto a = info[1].As<Napi::Uint8Array>();
    return Napi::Boolean::New(env, server_->sendToViewer(uint64_t(info[0].As<Napi::Number>().Int64Value()), a.Data(), a.ByteLength()));
  }

  Napi::Value CreateGroup(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!alive(info)) return env.Undefined();
    double ms = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 1000;
    // The track's codec (optional): VP8, VP9 and AV1 members may drop temporal layers (temporal.h).
    TemporalCodec codec = info.Length() > 1 && info[1].IsString() ? temporalCodecOf(info[1].As<Napi::String>().Utf8Value()) : TemporalCodec::None;
    return Napi::Number::New(env, double(server_->createGroup(ms, codec)));
  }

  Napi::Value DestroyGroup(const Napi::CallbackInfo& info) {
    if (server_ && info[0].IsNumber()) server_->destroyGroup(uint64_t(info[0].As<Napi::Number>().Int64Value()));
    return info.Env().Undefined();
  }

  Napi::Value AddMember(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!server_ || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsObject()) return Napi::Boolean::New(env, false);
    Napi::Object o = info[2].As<Napi::Object>();
    MemberOptions mo;
    mo.ssrc = uint32_t(num(o, "ssrc", 0));
    mo.payloadType = uint8_t(int(num(o, "payloadType", 0)) & 0x7f);
    mo.clockRate = uint32_t(num(o, "clockRate", 90000));
    mo.rtxSsrc = uint32_t(num(o, "rtxSsrc", 0));
    mo.rtxPayloadType = int(num(o, "rtxPayloadType", -1));
    if (mo.rtxPayloadType > 127) mo.rtxPayloadType = -1;
    mo.nack = flag(o, "nack", false);
    mo.retransmitShare = num(o, "retransmitShare", 0.25);
    return Napi::Boolean::New(env, server_->addMember(uint64_t(info[0].As<Napi::Number>().Int64Value()),
                                                      uint64_t(info[1].As<Napi::Number>().Int64Value()), mo));
  }

  Napi::Value RemoveMember(const Napi::CallbackInfo& info) {
    if (server_ && info[0].IsNumber() && info[1].IsNumber() && info[2].IsNumber())
      server_->removeMember(uint64_t(info[0].As<Napi::Number>().Int64Value()), uint64_t(info[1].As<Napi::Number>().Int64Value()),
                            uint32_t(info[2].As<Napi::Number>().Int64Value()));
    return info.Env().Undefined();
  }

  // moveMember(group, viewer, ssrc, rtp, captureMs, nowMs): the member into that group, starting with rtp (server.h).
  Napi::Value MoveMember(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!server_ || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsTypedArray())
      return Napi::Boolean::New(env, false);
    auto a = info[3].As<Napi::Uint8Array>();
    double capture = info[4].IsNumber() ? info[4].As<Napi::Number>().DoubleValue() : 0;
    double now = info[5].IsNumber() ? info[5].As<Napi::Number>().DoubleValue() : nowMs();
    return Napi::Boolean::New(env, server_->moveMember(uint64_t(info[0].As<Napi::Number>().Int64Value()), uint64_t(info[1].As<Napi::Number>().Int64Value()),
                                                       uint32_t(info[2].As<Napi::Number>().Int64Value()), a.Data(), a.ByteLength(), capture, now));
  }

  Napi::Value GroupSend(const Napi::CallbackInfo& info) {
    if (server_ && info[0].IsNumber() && info[1].IsTypedArray()) {
      auto a = info[1].As<Napi::Uint8Array>();
      double capture = info[2].IsNumber() ? info[2].As<Napi::Number>().DoubleValue() : 0;
      double now = info[3].IsNumber() ? info[3].As<Napi::Number>().DoubleValue() : nowMs();
      server_->groupSend(uint64_t(info[0].As<Napi::Number>().Int64Value()), a.Data(), a.ByteLength(), capture, now);
    }
    return info.Env().Undefined();
  }

  Napi::Value SetRetransmitShare(const Napi::CallbackInfo& info) {
    if (server_ && info[0].IsNumber() && info[1].IsNumber() && info[2].IsNumber())
      server_->setRetransmitShare(uint64_t(info[0].As<Napi::Number>().Int64Value()), uint32_t(info[1].As<Napi::Number>().Int64Value()),
                                  info[2].As<Napi::Number>().DoubleValue());
    return info.Env().Undefined();
  }

  /** setTemporalCap(viewer, ssrc, cap): the highest temporal layer sent to that member; -1 or null: all (temporal.h). */
  Napi::Value SetTemporalCap(const Napi::CallbackInfo& info) {
    if (server_ && info[0].IsNumber() && info[1].IsNumber()) {
      int cap = -1;
      if (info[2].IsNumber()) {
        double c = info[2].As<Napi::Number>().DoubleValue();
        if (c >= 0 && c <= kMaxTemporalId) cap = int(c);
      }
      server_->setTemporalCap(uint64_t(info[0].As<Napi::Number>().Int64Value()), uint32_t(info[1].As<Napi::Number>().Int64Value()), cap);
    }
    return info.Env().Undefined();
  }

  /** temporalWaitsForKeyframe(viewer, ssrc): AV1, a layer the member's cap allows waits for a key frame (temporal.h). */
  Napi::Value TemporalWaitsForKeyframe(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    bool waits = server_ && info[0].IsNumber() && info[1].IsNumber() &&
                 server_->temporalWaitsForKeyframe(uint64_t(info[0].As<Napi::Number>().Int64Value()), uint32_t(info[1].As<Napi::Number>().Int64Value()));
    return Napi::Boolean::New(env, waits);
  }

  /** temporalFramesDropped(viewer, ssrc): frames that member left out above its caps; -1: no such member. */
  Napi::Value TemporalFramesDropped(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!server_ || !info[0].IsNumber() || !info[1].IsNumber()) return Napi::Number::New(env, -1);
    return Napi::Number::New(env, server_->temporalFramesDropped(uint64_t(info[0].As<Napi::Number>().Int64Value()),
                                                                 uint32_t(info[1].As<Napi::Number>().Int64Value())));
  }

  /** groupTemporalBytes(group): bytes offered per temporal layer (index = TID) since the group began; null: no group. */
  Napi::Value GroupTemporalBytes(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::vector<double> bytes;
    if (!server_ || !info[0].IsNumber() || !server_->groupTemporalBytes(uint64_t(info[0].As<Napi::Number>().Int64Value()), bytes)) return env.Null();
    Napi::Array a = Napi::Array::New(env, bytes.size());
    for (size_t i = 0; i < bytes.size(); i++) a.Set(uint32_t(i), Napi::Number::New(env, bytes[i]));
    return a;
  }

  /** configureProbe(viewer, mediaSsrc, rtxSsrc, rtxPayloadType): where probe padding goes (probe.h). */
  Napi::Value ConfigureProbe(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!server_ || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsNumber()) return Napi::Boolean::New(env, false);
    return Napi::Boolean::New(env, server_->configureProbe(uint64_t(info[0].As<Napi::Number>().Int64Value()), uint32_t(info[1].As<Napi::Number>().Int64Value()),
                                                           uint32_t(info[2].As<Napi::Number>().Int64Value()),
                                                           uint8_t(info[3].As<Napi::Number>().Int64Value() & 0x7f)));
  }

  /**
   * probe(viewer, train, bps, durationMs, clusterMs[, abortLost, abortWindow, abortRatio,
   * abortSpanMs]): a padding train; train 0 stops the one in flight. The abort thresholds (all
   * four, or none: no abort) say when the receive thread stops it on the feedback (probe.h).
   */
  Napi::Value Probe(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    for (size_t i = 0; i < 5; i++)
      if (!info[i].IsNumber()) return Napi::Boolean::New(env, false);
    if (!server_) return Napi::Boolean::New(env, false);
    double train = info[1].As<Napi::Number>().DoubleValue();
    if (!(train >= 0 && train <= 4294967295.0)) return Napi::Boolean::New(env, false);
    ProbeAbort abort;
    if (info.Length() >= 9 && info[5].IsNumber() && info[6].IsNumber() && info[7].IsNumber() && info[8].IsNumber()) {
      double lost = info[5].As<Napi::Number>().DoubleValue(), window = info[6].As<Napi::Number>().DoubleValue();
      double ratio = info[7].As<Napi::Number>().DoubleValue(), span = info[8].As<Napi::Number>().DoubleValue();
      // Out of range or not a number: that rule stays off.
      if (lost >= 1 && lost <= kMaxAbortWindow && window >= 1 && window <= kMaxAbortWindow) {
        abort.lost = int(lost);
        abort.window = int(window);
      }
      if (ratio > 0 && ratio <= 1 && span > 0 && span <= kMaxTrainMs) {
        abort.ratio = ratio;
        abort.spanMs = span;
      }
    }
    return Napi::Boolean::New(env, server_->probe(uint64_t(info[0].As<Napi::Number>().Int64Value()), uint32_t(train),
                                                  info[2].As<Napi::Number>().DoubleValue(), info[3].As<Napi::Number>().DoubleValue(),
                                                  info[4].As<Napi::Number>().DoubleValue(), abort));
  }

  Napi::Value SendReports(const Napi::CallbackInfo& info) {
    if (server_ && info[0].IsNumber()) server_->sendReports(uint64_t(info[0].As<Napi::Number>().Int64Value()));
    return info.Env().Undefined();
  }

  Napi::Value Bury(const Napi::CallbackInfo& info) {
    if (server_ && info[0].IsString() && info[1].IsString() && info[2].IsNumber())
      server_->bury(info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::String>().Utf8Value(), info[2].As<Napi::Number>().DoubleValue());
    return info.Env().Undefined();
  }

  Napi::Value TcpPort(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), server_ ? server_->tcpPort() : 0); }

  /**
   * The viewer's selected remote address as { address, port, protocol }, or null before ICE
   * picked one; protocol 'tcp' when the path is an ICE-TCP connection (RFC 6544).
   */
  Napi::Value ViewerAddress(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    sockaddr_storage a{};
    socklen_t al = 0;
    bool tcp = false;
    if (!server_ || !info[0].IsNumber() || !server_->viewerAddress(uint64_t(info[0].As<Napi::Number>().DoubleValue()), a, al, &tcp)) return env.Null();
    char host[INET6_ADDRSTRLEN] = {0};
    int port = 0;
    if (a.ss_family == AF_INET) {
      auto* s4 = reinterpret_cast<sockaddr_in*>(&a);
      inet_ntop(AF_INET, &s4->sin_addr, host, sizeof host);
      port = ntohs(s4->sin_port);
    } else {
      auto* s6 = reinterpret_cast<sockaddr_in6*>(&a);
      inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof host);
      port = ntohs(s6->sin6_port);
    }
    Napi::Object o = Napi::Object::New(env);
    o.Set("address", Napi::String::New(env, host));
    o.Set("port", Napi::Number::New(env, port));
    o.Set("protocol", Napi::String::New(env, tcp ? "tcp" : "udp"));
    return o;
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    if (!server_) return o;
    Counters& c = server_->counters;
#define C(name) o.Set(#name, Napi::Number::New(env, double(c.name.load())))
    C(rxDatagrams);
    C(garbage);
    C(stunMalformed);
    C(stunUnknownUser);
    C(stunIntegrity);
    C(stunAnswered);
    C(unknownTuple);
    C(dtlsDatagrams);
    C(srtcpIn);
    C(srtcpFailed);
    C(rtpIgnored);
    C(srtpIn);
    C(srtpFailed);
    C(rtpEventDrops);
    C(sentPackets);
    C(sentBytes);
    C(sendErrors);
    C(protectErrors);
    C(malformedOut);
    C(nacksIn);
    C(retransmitted);
    C(retransmitMisses);
    C(retransmitLimited);
    C(retransmitDuplicate);
    C(sendmmsgCalls);
    C(tombstoneAnswers);
    C(rtcpMalformed);
    C(sendWouldBlock);
    C(queueDrops);
    C(dtlsRetired);
    C(dtlsKept);
    C(tcpAccepted);
    C(tcpRejected);
    C(tcpClosed);
    C(tcpUnbound);
    C(tcpFramesIn);
    C(tcpBadFrames);
    C(tcpDropped);
    C(tcpDroppedBytes);
    C(probePackets);
    C(probeBytes);
    C(probeAbortsLoss);
    C(probeAbortsSlow);
    C(temporalDropped);
#undef C
    o.Set("tcpConnections", Napi::Number::New(env, double(server_->tcpConnections())));
    o.Set("viewers", Napi::Number::New(env, double(server_->viewerCount())));
    o.Set("groups", Napi::Number::New(env, double(server_->groupCount())));
    return o;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    shutdown();
    return info.Env().Undefined();
  }

  Napi::Value Port(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), server_ ? server_->port() : 0); }
  Napi::Value Fingerprint(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), server_ ? server_->fingerprint() : std::string());
  }

  std::shared_ptr<Server> server_;
  Napi::ThreadSafeFunction tsfn_;
  bool released_ = false;
  napi_env env_ = nullptr;
  bool hooked_ = false;
};

// Hands the allocator's free pages back to the kernel. glibc keeps memory a program freed in
// its arenas (the brk heap and each thread's arena) and returns only a free top of the brk
// heap by itself; packet buffers freed out of order leave free pages in the middle that stay
// resident. malloc_trim(0) (glibc >= 2.8) madvise()s those pages away. Measured on an origin
// with 20 publishers: RSS 235 -> 195 MB from one call. Returns false where there is no glibc.
Napi::Value MallocTrim(const Napi::CallbackInfo& info) {
#ifdef __GLIBC__
  return Napi::Boolean::New(info.Env(), malloc_trim(0) != 0);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

// Bytes malloc has handed out and not had back, over every arena (glibc's mallinfo2, >= 2.33):
// what the process's native state weighs without the allocator's free pages, for the memory
// probe (scripts/bench/viewer-memory.ts, issue 19). -1 where there is no glibc 2.33.
Napi::Value MallocInUse(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  return Napi::Number::New(info.Env(), double(mallinfo2().uordblks));
#else
  return Napi::Number::New(info.Env(), -1);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeServer", NativeServer::Init(env));
  exports.Set("PipeGcm", canopy::InitPipeGcm(env));
  exports.Set("mallocTrim", Napi::Function::New(env, MallocTrim, "mallocTrim"));
  exports.Set("mallocInUse", Napi::Function::New(env, MallocInUse, "mallocInUse"));
  return exports;
}

}  // namespace

NODE_API_MODULE(canopy_native, Init)
