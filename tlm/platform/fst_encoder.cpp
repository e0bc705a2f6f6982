#include "tlm/platform/fst_encoder.hpp"

#include "tlm/platform/packed_chain.hpp"
#include "tlm/platform/zlib_repeats.hpp"

#include <lz4.h>
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <stdexcept>

// The FST layout written here (fstapi.c of GTKWave is the reference; numbers
// big endian unless said, "varint" = LEB128):
//   header   tag 0, u64 329, u64 start time, u64 end time, the double e (native
//            order: the reader's endian test), u64 writer memory, u64 scopes,
//            u64 vars, u64 max handle, u64 block count, i8 timescale,
//            128 bytes writer name, 119 bytes date, u8 file type, u64 time zero
//   block    tag 8 (VCDATA_DYN_ALIAS2), u64 length (from after the tag), u64 begin
//            time, u64 end time, u64 bytes the reader needs for the chains;
//            the frame (values at the begin time, one char per bit):
//            varint length, varint stored length, varint max handle, bytes;
//            varint max handle, 'Z', the chains (each: varint unpacked length,
//            0 = stored, then the zlib or stored bytes); the index (per
//            signal: svarint (offset delta << 1 | 1), or varint (run << 1)
//            for signals with no chain), u64 index length; the time table
//            (varint deltas of the block's times, the first from 0), u64 its
//            length, u64 stored length, u64 time count.
//   chain    per change: 1 bit: varint (index delta << 2 | bit << 1);
//            wider: varint (index delta << 1), then the bits left-aligned,
//            most significant first, in (width + 7) / 8 bytes.
//   geometry tag 3, u64 length, u64 unpacked length, u64 max handle, zlib of
//            a varint width per signal
//   hier     tag 4, u64 length, u64 unpacked length, gzip of the records:
//            scope (254, type, name, 0, 0), var (type, dir, name, 0, varint
//            width, varint 0), upscope (255)
// A later block's time table starts at the previous block's last time (no
// change there), as fstapi's, so that time is the begin time of its frame.

namespace trimode {

namespace {

constexpr uint8_t kTagHeader = 0, kTagGeom = 3, kTagHier = 4, kTagVcData = 8;
// FST_BL_SKIP, a section being written: the header's tag until finish(), so
// readers refuse a file whose run ended before it (written over an older
// file in place, the older file's blocks follow the new ones until then).
constexpr uint8_t kTagSkip = 255;
constexpr uint8_t kScope = 254, kUpscope = 255, kScopeModule = 0, kVarWire = 16, kDirImplicit = 0;
constexpr size_t kHeaderBytes = 330, kOffStartTime = 9, kOffScopes = 41;
// Value chains: LZ4 (pack type '4', which fst2vcd and GTKWave read): on
// memtest 0.66 G instructions for the traced run and 0.93 B per instruction,
// against 0.91 G and 0.47 B with zlib level 2 (fstapi's level 4: 0.95 G).
// The time tables and frames are zlib streams (the format allows nothing
// else), of zlib_repeats' making.
constexpr size_t kPackAbove = 32;  // shorter chains are stored
// LZ4's acceleration 16 (1: LZ4_compress_default) on bench_mix's first 2 M
// instructions: compression thread 175 -> 136 M host instructions, 8.8 % more
// bytes (4 -> 148 M, 3.3 %). Zlib's time tables stay at level 1 with the
// default strategy (Huffman only or RLE: 2.8x the cpu, 25 % more bytes).
// Acceleration 32 (tried in the fifth round): 70 -> 62 M, 6.9 % more bytes
// (64: 60 M, 15.7 % more); over the whole bench_mix 12.6 % more (1.50 -> 1.68
// bytes per instruction) for under 3 % of the traced run's host instructions.
constexpr int kLz4Acceleration = 16;

// Signed LEB128 (the index's chain offsets).
void put_svarint(ByteBuf& b, int64_t v) {
  uint8_t* p = b.reserve(10);
  for (;;) {
    const uint8_t byte = v & 0x7F;
    v >>= 7;
    if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) {
      *p++ = byte;
      break;
    }
    *p++ = byte | 0x80;
  }
  b.commit(p);
}

// zlib at `level` (gzip wrapper if gzip) into out; false if not smaller.
bool deflate_to(const ByteBuf& in, ByteBuf& out, int level, bool gzip = false) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, gzip ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  const uLong bound = deflateBound(&z, static_cast<uLong>(in.size()));
  uint8_t* dst = out.reserve(bound);
  z.next_in = const_cast<Bytef*>(in.data());
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = dst;
  z.avail_out = static_cast<uInt>(bound);
  const bool ok = deflate(&z, Z_FINISH) == Z_STREAM_END && (gzip || z.total_out < in.size());
  if (ok) out.commit(dst + z.total_out);
  deflateEnd(&z);
  return ok;
}

// in as a zlib stream of zlib_repeats' making into out (emptied first):
// true when it is shorter than in.
bool repeats_into(const ByteBuf& in, ByteBuf& out) {
  out.clear();
  uint8_t* const z = out.reserve(zlib_repeats_bound(in.size()));
  out.commit(z + zlib_repeats(in.data(), in.size(), z));
  return out.size() < in.size();
}

// Appends a chain LZ4-compressed (block format) to out: varint of its size,
// then the compressed bytes; false, with nothing appended, if not smaller.
bool lz4_into(const ByteBuf& in, ByteBuf& out) {
  const int bound = LZ4_compressBound(static_cast<int>(in.size()));
  uint8_t* const start = out.reserve(10 + static_cast<size_t>(bound));
  uint8_t* const dst = ByteBuf::put_varint(start, in.size());
  const int n = LZ4_compress_fast(reinterpret_cast<const char*>(in.data()), reinterpret_cast<char*>(dst),
                                  static_cast<int>(in.size()), bound, kLz4Acceleration);
  if (n <= 0 || static_cast<size_t>(n) >= in.size()) return false;
  out.commit(dst + n);
  return true;
}

// Appends chain c as a block holds it: LZ4 (its size, then the compressed
// bytes) if that is smaller, else stored (0, then the bytes).
void put_chain(const ByteBuf& c, ByteBuf& out) {
  if (c.size() > kPackAbove && lz4_into(c, out)) return;
  out.varint(0);  // stored
  out.bytes(c.data(), c.size());
}

}  // namespace

void ByteBuf::grow(size_t n) {
  const size_t size = this->size(), cap = static_cast<size_t>(cap_end_ - data_.get());
  size_t want = cap ? cap * 2 : 256;
  while (want < size + n) want *= 2;
  std::unique_ptr<uint8_t[]> d(new uint8_t[want]);
  if (size) std::memcpy(d.get(), data_.get(), size);
  data_ = std::move(d);
  end_ = data_.get() + size;
  cap_end_ = data_.get() + want;
}

void ByteBuf::bytes(const void* p, size_t n) {
  if (!n) return;
  std::memcpy(reserve(n), p, n);
  end_ += n;
}

void ByteBuf::u64(uint64_t v) {
  uint8_t* p = reserve(8);
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
  end_ += 8;
}

FstEncoder::FstEncoder(const std::string& path, int timescale) {
  // finish() patches the header's totals in place: a pipe would get them
  // appended. A named FIFO is refused before it is opened (the open would
  // wait for a reader), any other pipe once open.
  const std::string not_seekable = "cannot write " + path + ": an FST file must be seekable (a regular file, not a pipe)";
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) throw std::runtime_error(not_seekable);
  if (const std::string why = file_.open_over(path); !why.empty()) throw std::runtime_error("cannot write " + path + ": " + why);
  if (std::fseek(file_.stream(), 0, SEEK_CUR) != 0) throw std::runtime_error(not_seekable);
  ByteBuf h;
  h.bytes(&kTagSkip, 1);  // kTagHeader when finished
  h.u64(kHeaderBytes - 1);
  h.u64(0);  // start and end time: patched by finish()
  h.u64(0);
  const double endian_test = 2.7182818284590452354;
  h.bytes(&endian_test, 8);
  h.u64(0);  // writer memory
  for (int i = 0; i < 4; ++i) h.u64(0);  // scopes, vars, max handle, blocks: patched
  const int8_t ts = static_cast<int8_t>(timescale);
  h.bytes(&ts, 1);
  char text[128 + 119] = "trimode FST encoder";  // writer name; the date stays empty (reproducible files)
  h.bytes(text, sizeof text);
  const uint8_t verilog = 0;
  h.bytes(&verilog, 1);
  h.u64(0);  // time zero
  file_.write(h.data(), h.size());
}

FstEncoder::~FstEncoder() { close(); }

void FstEncoder::scope(const std::string& name) {
  const uint8_t rec[2] = {kScope, kScopeModule};
  hier_.bytes(rec, 2);
  hier_.bytes(name.c_str(), name.size() + 1);
  hier_.bytes("", 1);  // no component name
  ++scopes_;
}

void FstEncoder::upscope() { hier_.bytes(&kUpscope, 1); }

unsigned FstEncoder::var(const std::string& name, unsigned width) {
  if (width < 1 || width > 64) throw std::invalid_argument("FST signal " + name + ": width must be 1..64");
  const uint8_t rec[2] = {kVarWire, kDirImplicit};
  hier_.bytes(rec, 2);
  hier_.bytes(name.c_str(), name.size() + 1);
  hier_.varint(width);
  hier_.varint(0);  // not an alias
  tracks_.push_back({ByteBuf(), 0, 0, nullptr, width, 0, false, nullptr});
  return static_cast<unsigned>(tracks_.size() - 1);
}

void FstEncoder::pack(unsigned i) {
  if (tracks_.at(i).width > 32) throw std::invalid_argument("FST: only signals of up to 32 bits are packed");
  tracks_[i].packed = std::make_unique<Track::Packed>(Track::Packed{nullptr, 0, 0});
  if (!packer_) packer_ = std::make_unique<PackedChain>(kBlockSteps);
}

// A packed signal's value at step idx (the last one given: replaced; before it: ignored).
void FstEncoder::packed_value(Track& s, uint32_t idx, uint64_t v) {
  if (idx + 1 < s.packed->filled) return;
  const auto x = static_cast<uint32_t>(v);
  put_packed(s, idx, &x, 1);
}

// A packed signal's values v[0..n) at steps first, first + 1, ... (first at
// or after the last one given, or equal to it: replaced).
void FstEncoder::put_packed(Track& s, uint32_t first, const uint32_t* v, uint32_t n) {
  fill_packed(s, first);
  Track::Packed& p = *s.packed;
  std::memcpy(p.vals + first, v, n * sizeof *v);
  p.filled = first + n;
  if (p.first_known == PackedChain::kNone) p.first_known = first;
}

// The steps since the last one given, up to idx, carry its value.
void FstEncoder::fill_packed(Track& s, uint32_t idx) {
  Track::Packed& p = *s.packed;
  if (p.filled >= idx) return;
  const uint32_t carry = p.filled ? p.vals[p.filled - 1] : static_cast<uint32_t>(s.cur);
  std::fill(p.vals + p.filled, p.vals + idx, carry);
  p.filled = idx;
}

// A packed signal changed in the block's n steps.
bool FstEncoder::packed_changed(const Track& s, uint32_t n) {
  const Track::Packed& p = *s.packed;
  if (p.first_known == PackedChain::kNone) return false;
  if (!s.known) return true;
  const auto cur = static_cast<uint32_t>(s.cur);
  return std::any_of(p.vals, p.vals + n, [cur](uint32_t v) { return v != cur; });
}

void FstEncoder::Burst::values32(unsigned i, const uint32_t* v, uint32_t n, uint32_t first) {
  put_packed(e_.tracks_[i], first, v, n);
}

// A new block whose time index 0 is `begin`; its frame holds the values then.
void FstEncoder::start_block(uint64_t begin) {
  take_next_block();
  begin_ = begin;
  idx_ = 0;
  // Room for the whole block (a change per signal and a time delta per time
  // step at most): no room is checked per change. Untouched room costs no memory.
  times_.reserve_total(kBlockSteps * 10 + 10 + TimeDeltas::kTileBytes);
  times_.varint(begin);
  frame_.clear();
  for (Track& s : tracks_) {
    if (s.packed) {
      s.packed->filled = 0;
      s.packed->first_known = s.known ? 0 : PackedChain::kNone;
      s.packed->vals = next_->packed[static_cast<size_t>(&s - tracks_.data())].vals.data();
    } else {
      s.chain.reserve_total(size_t{kBlockSteps} * kMaxChange);
    }
    s.last_idx = s.prev_idx = 0;
    s.last_pos = nullptr;
    uint8_t* p = frame_.reserve(s.width);
    for (unsigned b = s.width; b-- > 0;) *p++ = s.known ? static_cast<uint8_t>('0' + (s.cur >> b & 1)) : 'x';
    frame_.commit(p);
  }
}

// The buffers of the block to be filled (kept when the last one was dropped
// unfilled): a written block's, or new ones.
void FstEncoder::take_next_block() {
  if (!next_) next_ = spare_block();
  next_->packed.resize(tracks_.size());
  for (size_t i = 0; i < tracks_.size(); ++i)
    if (tracks_[i].packed) next_->packed[i].vals.resize(kBlockSteps);  // (once per buffer)
}

// The first time, a time at the end of a block, or one that does not increase.
void FstEncoder::time_slow(uint64_t t) {
  if (!started_) {
    started_ = true;
    first_ = now_ = t;
    start_block(t);
    return;
  }
  if (t <= now_) return;  // (not increasing: the changes join the current time)
  end_block();
  start_block(now_);
  time(t);
}

// The value of s's last change in this block (read back from its chain).
uint64_t FstEncoder::last_value(const Track& s) {
  const uint8_t* p = s.last_pos;
  uint64_t head = 0;
  for (unsigned shift = 0;; shift += 7) {
    head |= uint64_t{*p & 0x7Fu} << shift;
    if (!(*p++ & 0x80)) break;
  }
  if (s.width == 1) return head >> 1 & 1;
  uint64_t be = 0;
  std::memcpy(&be, p, (s.width + 7) / 8);
  return __builtin_bswap64(be) >> (64 - s.width);
}

// A change that needs room, or one at the time of the signal's last change
// in this block (that one is replaced), or the first block's first time.
void FstEncoder::value_slow(unsigned i, uint64_t v) {
  Track& s = tracks_[i];
  const size_t last = s.last_pos ? static_cast<size_t>(s.last_pos - s.chain.data()) : 0;
  s.chain.reserve(kMaxChange);  // (may move the chain)
  if (s.last_pos) s.last_pos = s.chain.end() - (s.chain.size() - last);
  put_at(s, idx_, v);
}

// s takes v at time index idx (>= its last change's; room reserved): a
// change at the index of its last change in this block replaces that one.
void FstEncoder::put_at(Track& s, uint32_t idx, uint64_t v) {
  if (s.packed) return packed_value(s, idx, v);
  if (s.last_idx == idx && s.last_pos) {  // again at one time: the last change goes
    s.chain.truncate(static_cast<size_t>(s.last_pos - s.chain.data()));
    s.last_idx = s.prev_idx;
  }
  s.chain.commit(Burst::Lane::put(s.chain.end(), s.last_pos, s.prev_idx, s.last_idx, idx, v, s.width));
}

// Hands the block to the writer thread (waits while kQueued blocks are pending).
void FstEncoder::end_block() {
  bool any = false;
  const uint32_t n = idx_ + 1;  // the block's steps
  for (const Track& s : tracks_) any |= !s.packed && !s.chain.empty();
  for (const Track& s : tracks_) any = any || (s.packed && packed_changed(s, n));  // (scanned only when no chain did)
  if (!any) {  // nothing changed (the reader needs a chain per block): dropped
    times_.clear();
    return;
  }
  std::unique_ptr<Block> b = std::move(next_);
  b->begin = begin_;
  b->end = now_;
  // The time table and the chains are copied into the block's buffers, not
  // swapped with them: the run keeps writing buffers only its thread touches.
  // A written block's come back from the compression thread's core, whose
  // cache still holds them, and each of the many small writes of the next
  // block (a change, a time delta) had to take a line back from there first;
  // one copy per block costs far less (docs/waves-internals.md, eleventh round).
  // The packed values are in the block's buffers already, written there a
  // burst at a time (few, large copies).
  std::swap(b->frame, frame_);  // (a few hundred bytes, written once per block)
  b->times.clear();
  b->times.bytes(times_.data(), times_.size());
  b->time_count = uint64_t{idx_} + 1;
  b->chains.resize(tracks_.size());
  b->done.resize(tracks_.size());
  // The compression thread behind (the block before waits for it, and the
  // hand-over below would wait too): the caller's thread compresses this
  // block's chains itself meanwhile, the packed ones too while it stays
  // behind (pack_here). The bytes are the same on either thread.
  const bool help = always_here_ || writer_.backlog();
  for (size_t i = 0; i < tracks_.size(); ++i) {
    Track& s = tracks_[i];
    Block::PackedIn& in = b->packed[i];
    in.n = 0;
    b->chains[i].clear();
    b->done[i] = 0;
    if (s.packed) {
      fill_packed(s, n);
      Track::Packed& p = *s.packed;
      in.n = n, in.first_known = p.first_known, in.before = static_cast<uint32_t>(s.cur), in.known = s.known;
      if (p.first_known != PackedChain::kNone) s.cur = p.vals[n - 1], s.known = true;  // (for the next block's frame)
      continue;  // (in.vals: p.vals)
    }
    if (s.last_pos) s.cur = last_value(s), s.known = true;  // (for the next block's frame)
    if (help && !s.chain.empty()) {
      put_chain(s.chain, b->chains[i]);
      b->done[i] = s.chain.size();
    } else {
      b->chains[i].bytes(s.chain.data(), s.chain.size());
    }
    s.chain.clear();
  }
  if (help) pack_here(*b);
  frame_.clear();
  times_.clear();
  ++blocks_;
  writer_.push(std::move(b));
}

// The compression thread still behind after the block's chains: its packed
// chains too, on the caller's thread, one at a time while it stays behind.
void FstEncoder::pack_here(Block& b) {
  for (size_t i = 0; i < b.packed.size(); ++i) {
    Block::PackedIn& in = b.packed[i];
    if (!in.n || !(always_here_ || writer_.backlog())) continue;
    if (!here_packer_) here_packer_ = std::make_unique<PackedChain>(kBlockSteps);
    pack_chain(*here_packer_, here_z_, b, i);
  }
}

// Signal i's packed steps into its chain as the file holds it (done; no
// change: the chain stays empty), with `packer` and its LZ4 bytes in scratch.
void FstEncoder::pack_chain(PackedChain& packer, ByteBuf& scratch, Block& b, size_t i) {
  Block::PackedIn& in = b.packed[i];
  scratch.clear();
  const uint32_t size = packer.encode(in.vals.data(), in.n, in.first_known, in.known, in.before, scratch);
  if (size) {
    b.chains[i].varint(size);
    b.chains[i].bytes(scratch.data(), scratch.size());
  }
  b.done[i] = size;
  in.n = 0;  // (nothing left to pack)
}

// A written block's buffers for the next block (their memory already
// mapped: a new block's would fault its pages in again), or a new block.
std::unique_ptr<FstEncoder::Block> FstEncoder::spare_block() {
  std::lock_guard<std::mutex> lock(spare_mu_);
  if (spare_.empty()) return std::make_unique<Block>();
  std::unique_ptr<Block> b = std::move(spare_.back());
  spare_.pop_back();
  return b;
}

// The writer thread: the block compressed and written, its buffers kept for reuse.
void FstEncoder::write_and_recycle(std::unique_ptr<Block> b) {
  write_block(*b);
  std::lock_guard<std::mutex> lock(spare_mu_);
  spare_.push_back(std::move(b));
}

void FstEncoder::write_section(uint8_t tag, const ByteBuf& body) { write_section(tag, {&body}); }

// A section whose body is `parts` one after the other (written as they are: no copy into one buffer).
void FstEncoder::write_section(uint8_t tag, std::initializer_list<const ByteBuf*> parts) {
  ByteBuf head;
  head.bytes(&tag, 1);
  uint64_t length = 8;  // the length counts itself
  for (const ByteBuf* b : parts) length += b->size();
  head.u64(length);
  file_.write(head.data(), head.size());
  for (const ByteBuf* b : parts)
    if (!b->empty()) file_.write(b->data(), b->size());
}

void FstEncoder::write_block(Block& b) {
  const uint64_t handles = b.chains.size();
  Scratch& o = out_;
  o.vc.clear(), o.index.clear();  // (frame_z and times_z: repeats_into empties them)
  ByteBuf &frame_z = o.frame_z, &vc = o.vc, &index = o.index, &times_z = o.times_z;
  // (the frame through zlib_repeats too: deflate's set-up, about 65,000 host
  // instructions, cost more than its few hundred bytes, '0' and '1' in runs)
  const bool frame_packed = repeats_into(b.frame, frame_z);
  // The chains, from the pack-type byte (offsets count from it), each
  // compressed straight into vc.
  vc.bytes("4", 1);  // LZ4
  uint64_t unpacked = 0, prev = 0, run = 0;
  for (size_t i = 0; i < handles; ++i) {
    if (b.packed[i].n) pack_chain(*packer_, o.chain_z, b, i);
    const ByteBuf& c = b.chains[i];
    if (c.empty()) {
      ++run;
      continue;
    }
    if (run) index.varint(run << 1), run = 0;
    const uint64_t pos = vc.size();
    put_svarint(index, static_cast<int64_t>((pos - prev) << 1 | 1));
    prev = pos;
    if (b.done[i]) {  // packed, or compressed on the caller's thread already
      unpacked += b.done[i];
      vc.bytes(c.data(), c.size());
      continue;
    }
    unpacked += c.size();
    put_chain(c, vc);
  }
  if (run) index.varint(run << 1);
  const ByteBuf& times = repeats_into(b.times, times_z) ? times_z : b.times;

  ByteBuf head, tail;
  head.u64(b.begin);
  head.u64(b.end);
  head.u64(unpacked);
  head.varint(b.frame.size());
  head.varint(frame_packed ? frame_z.size() : b.frame.size());
  head.varint(handles);
  const ByteBuf& frame = frame_packed ? frame_z : b.frame;
  head.bytes(frame.data(), frame.size());
  head.varint(handles);
  index.u64(index.size());
  tail.u64(b.times.size());
  tail.u64(times.size());
  tail.u64(b.time_count);
  write_section(kTagVcData, {&head, &vc, &index, &times, &tail});
}

bool FstEncoder::close() {
  if (closed_) return failure_.empty();
  closed_ = true;
  if (!started_) {  // nothing was traced: one time (0) with every signal unknown, as fstapi writes
    for (Track& s : tracks_) s.packed.reset();
    time(0);
    for (Track& s : tracks_) {
      s.chain.varint(1);  // 1 bit: 'x' (FST_RCV_X), delta 0; wider: delta 0, one char per bit follows
      if (s.width > 1) {
        uint8_t* p = s.chain.reserve(s.width);
        std::memset(p, 'x', s.width);
        s.chain.commit(p + s.width);
      }
    }
  }
  end_block();
  writer_.finish();
  finish();
  return failure_.empty();
}

// The geometry and hierarchy sections and the header's totals.
void FstEncoder::finish() {
  ByteBuf geom, geom_z;
  for (const Track& s : tracks_) geom.varint(s.width);
  const ByteBuf& geom_stored = deflate_to(geom, geom_z, 9) ? geom_z : geom;
  ByteBuf body;
  body.u64(geom.size());
  body.u64(tracks_.size());
  body.bytes(geom_stored.data(), geom_stored.size());
  write_section(kTagGeom, body);  // its length: the stored bytes + 24, as the reader expects

  ByteBuf hier_z, hbody;
  hbody.u64(hier_.size());
  if (!deflate_to(hier_, hier_z, 4, /*gzip=*/true)) fail("the hierarchy's compression failed");
  hbody.bytes(hier_z.data(), hier_z.size());
  write_section(kTagHier, hbody);

  ByteBuf totals;
  totals.u64(first_);
  totals.u64(now_);
  if (std::fseek(file_.stream(), kOffStartTime, SEEK_SET) != 0) fail(std::strerror(errno));
  file_.write(totals.data(), totals.size());
  totals.clear();
  totals.u64(scopes_);
  totals.u64(tracks_.size());
  totals.u64(tracks_.size());
  totals.u64(blocks_);
  if (std::fseek(file_.stream(), kOffScopes, SEEK_SET) != 0) fail(std::strerror(errno));
  file_.write(totals.data(), totals.size());
  if (std::fseek(file_.stream(), 0, SEEK_SET) != 0) fail(std::strerror(errno));
  file_.write(&kTagHeader, 1);  // (last: the file is whole)
  if (const std::string why = file_.close(); !why.empty()) fail(why);
}

}  // namespace trimode
