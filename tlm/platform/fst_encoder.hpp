// A writer of GTKWave's FST format for the platform trace (trimode run --fst;
// docs/waves-internals.md, "The writer"), owned by the project: values are encoded as
// they come (per-signal change chains of varint time-index deltas and
// bit-packed values), never as fstapi's one-byte-per-bit strings that are
// walked and packed again at every block end. The format is the one fstapi
// (GTKWave, bundled with Verilator) writes and reads: a header, value-change
// blocks (FST_BL_VCDATA_DYN_ALIAS2, zlib), the geometry and the hierarchy.
// Read back by fst2vcd/GTKWave (tests/platform: platform.waves.fst_*).
//
// Blocks of kBlockSteps time steps are compressed and written on a second
// thread while the run goes on (at most kQueued blocks pending; memory
// bounded; when that thread is behind, the caller's thread compresses a
// block's chains itself instead of waiting for it); packed signals (pack():
// the pc's and the word's) hand over their value at each step instead of a
// chain, written straight into LZ4 there (packed_chain.hpp).
// Contract: declare every signal (scope/var/upscope) before the first time();
// times strictly increase; value() after the time() it belongs to (a second
// value() of a signal at one time replaces the first: the last one counts);
// widths 1..64, values two-state.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tlm/platform/work_queue.hpp"
#include "tools/output_file/output_file.hpp"

namespace trimode {

class PackedChain;

// A growable byte buffer with cheap appends (the hot path's varints and bytes).
class ByteBuf {
 public:
  ByteBuf() = default;
  ByteBuf(ByteBuf&& o) noexcept { *this = std::move(o); }
  ByteBuf& operator=(ByteBuf&& o) noexcept {
    data_ = std::move(o.data_);
    end_ = o.end_, cap_end_ = o.cap_end_;
    o.end_ = o.cap_end_ = nullptr;
    return *this;
  }
  // A pointer to n writable bytes at the end; commit(p) ends the write at p.
  uint8_t* reserve(size_t n) {
    if (!has_room(n)) grow(n);
    return end_;
  }
  void commit(uint8_t* end) { end_ = end; }
  bool has_room(size_t n) const { return static_cast<size_t>(cap_end_ - end_) >= n; }
  uint8_t* end() { return end_; }
  void reserve_total(size_t cap) {
    if (cap > size()) reserve(cap - size());
  }
  void varint(uint64_t v) { commit(put_varint(reserve(10), v)); }
  void bytes(const void* p, size_t n);
  void u64(uint64_t v);  // big endian, as FST's fixed-size fields
  const uint8_t* data() const { return data_.get(); }
  size_t size() const { return static_cast<size_t>(end_ - data_.get()); }
  bool empty() const { return end_ == data_.get(); }
  void clear() { end_ = data_.get(); }
  void truncate(size_t n) { end_ = data_.get() + n; }  // n <= size()

  static uint8_t* put_varint(uint8_t* p, uint64_t v) {
    for (; v >= 0x80; v >>= 7) *p++ = static_cast<uint8_t>(v | 0x80);
    *p++ = static_cast<uint8_t>(v);
    return p;
  }

 private:
  void grow(size_t n);
  std::unique_ptr<uint8_t[]> data_;
  uint8_t* end_ = nullptr;      // data_ + size
  uint8_t* cap_end_ = nullptr;  // data_ + capacity
};

class FstEncoder {
 public:
  // Opens `path` for writing; throws std::runtime_error("cannot write PATH").
  // An existing file is written over in place and cut at the close
  // (OutputFile::open_over); until the close the header is tagged as a
  // section being written, which GTKWave and fst2vcd refuse to open.
  // timescale: the time unit as a power of ten of seconds (-12: 1 ps).
  FstEncoder(const std::string& path, int timescale);
  ~FstEncoder();  // close()
  FstEncoder(const FstEncoder&) = delete;
  FstEncoder& operator=(const FstEncoder&) = delete;

  void scope(const std::string& name);
  void upscope();
  // A wire of `width` bits (1..64); returns its index for value().
  unsigned var(const std::string& name, unsigned width);
  // Signal i (32 bits wide at most) keeps its value at each time step, and
  // the compression thread writes its chain straight into LZ4 from them
  // (packed_chain.hpp: a loop's repeats found from the values), never raw
  // bytes compressed later: a loop's pc and word. Before the first time().
  void pack(unsigned i);

  // Moves to time t (> the previous time; an earlier or equal t is ignored).
  void time(uint64_t t) {
    if (t <= now_ || idx_ + 1 >= kBlockSteps) return time_slow(t);  // (idx_ starts there: the first time)
    ++idx_;
    times_.commit(deltas_.put(times_.end(), t - now_));  // (room: start_block)
    now_ = t;
  }
  // Signal i takes value v (its low `width` bits) at the current time.
  void value(unsigned i, uint64_t v) { value(i, v, tracks_[i].width); }
  // The same, `width` being signal i's (a constant where the caller knows it:
  // the branch and shift fold away).
  void value(unsigned i, uint64_t v, unsigned width) {
    Track& s = tracks_[i];
    if (__builtin_expect(s.packed != nullptr, 0)) return packed_value(s, idx_, v);
    const uint32_t delta = idx_ - s.last_idx;
    if (__builtin_expect(delta == 0, 0)) return value_slow(i, v);  // (room: start_block)
    append(s, v, width);
  }

  class Burst;

  // Every block's chains compressed on the caller's thread, as when the
  // compression thread stays behind (end_block), whatever it does: the same
  // file (tests).
  void compress_chains_here() { always_here_ = true; }

  // Writes what is pending, the geometry and hierarchy, and closes the file:
  // false when a write failed (disk full), the file then incomplete. Again: the same answer.
  bool close();
  // Why a write failed (after close() said so): the C library's text, or "disk full?".
  const std::string& failure() const { return failure_; }
  // The compression thread's times (the caller waited for room, that thread
  // for blocks, its cpu), complete after close().
  WorkTimes compression_times() { return writer_.times(); }

  // Time steps per value-change block: ~1-2 MB of chains for the platform trace.
  static constexpr uint32_t kBlockSteps = 1 << 16;
  static constexpr size_t kQueued = 2;

 private:
  // A varint, the one-byte case first (most time-index deltas and many time deltas).
  static uint8_t* put_small(uint8_t* p, uint64_t v) {
    if (__builtin_expect(v < 0x80, 1)) {
      *p = static_cast<uint8_t>(v);
      return p + 1;
    }
    return ByteBuf::put_varint(p, v);
  }
  // The time table's varints: the last delta's bytes are copied when it
  // comes again (a clock period, mostly).
  struct TimeDeltas {
    uint64_t delta = 0, bytes = 0;  // the last delta and its varint (len bytes, memory order)
    unsigned len = 0;
    uint8_t* put(uint8_t* p, uint64_t d) {  // (10 bytes of room at p)
      if (d != delta) return put_new(p, d);
      std::memcpy(p, &bytes, 8);
      return p + len;
    }
    uint8_t* put_new(uint8_t* p, uint64_t d) {  // (inline: a burst's copy stays in registers)
      uint8_t* end = ByteBuf::put_varint(p, d);
      delta = d;
      len = static_cast<unsigned>(end - p);
      bytes = 0;
      if (len <= 8) {
        std::memcpy(&bytes, p, len);
      } else {
        delta = ~uint64_t{0};  // (over 8 bytes: never cached)
      }
      return end;
    }
    // The varint of d (the last delta, mostly) `count` times more (room:
    // count * 10 + kTileBytes bytes at p): a tile of its copies at a time.
    uint8_t* again(uint8_t* p, uint64_t d, uint32_t count) {
      if (d != delta) {
        for (; count; --count) p = put(p, d);
        return p;
      }
      if (count >= 16) {
        uint8_t tile[kTileBytes + 8];
        const unsigned per = kTileBytes / len;
        for (unsigned i = 0; i < per; ++i) std::memcpy(tile + i * len, &bytes, 8);
        for (; count >= per; count -= per, p += per * len) std::memcpy(p, tile, kTileBytes);
      }
      for (; count; --count, p += len) std::memcpy(p, &bytes, 8);
      return p;
    }
    static constexpr unsigned kTileBytes = 64;
  };
  static constexpr size_t kMaxChange = 5 + 8;  // a change's bytes at most (varint of a 32-bit delta, 8 bytes)
  struct Track {                                 // one signal
    ByteBuf chain;      // this block's changes
    uint32_t last_idx;  // the time index of its last change in this block
    uint32_t prev_idx;  // the one before (a change again at last_idx replaces the last)
    uint8_t* last_pos;  // where the last change starts in chain (null: none in this block)
    unsigned width;
    uint64_t cur;       // its value at the end of the last block (for the next one's frame)
    bool known;         // it has had a value by then
    struct Packed {                  // pack(): `chain` unused
      uint32_t* vals;                // by time index in this block: its value (next_'s, kBlockSteps)
      uint32_t filled;               // steps [0, filled) given or carried
      uint32_t first_known;          // its first value's step when it had none before the block (else 0; kNone: none yet)
    };
    std::unique_ptr<Packed> packed;
  };
  // Appends the change at idx_ (after s's last) to s's chain (room for it reserved).
  void append(Track& s, uint64_t v, unsigned width);
  // One value-change block as the run left it, encoded by the writer thread.
  struct Block {
    uint64_t begin, end;
    ByteBuf frame;                // every signal's value at `begin`: '0'/'1'/'x' per bit
    std::vector<ByteBuf> chains;  // per signal (empty: no change in the block)
    // Per signal: 0, or its chain's uncompressed size when `chains` holds it
    // as it goes into the file already (a packed one's, once packed:
    // pack_chain; another's compressed on the caller's thread: end_block).
    std::vector<uint64_t> done;
    ByteBuf times;                // varint time deltas, the first from 0
    uint64_t time_count;
    struct PackedIn {  // a packed signal's steps (PackedChain::encode's input; n 0: not packed)
      std::vector<uint32_t> vals;
      uint32_t n, first_known, before;
      bool known;
    };
    std::vector<PackedIn> packed;  // per signal
  };

  void time_slow(uint64_t t);
  void value_slow(unsigned i, uint64_t v);
  void packed_value(Track& s, uint32_t idx, uint64_t v);
  static void put_packed(Track& s, uint32_t first, const uint32_t* v, uint32_t n);
  static void fill_packed(Track& s, uint32_t idx);
  static bool packed_changed(const Track& s, uint32_t n);
  void put_at(Track& s, uint32_t idx, uint64_t v);
  static uint64_t last_value(const Track& s);
  void start_block(uint64_t begin);
  void take_next_block();
  void end_block();
  void pack_here(Block& b);
  static void pack_chain(PackedChain& packer, ByteBuf& scratch, Block& b, size_t i);
  std::unique_ptr<Block> spare_block();
  void write_and_recycle(std::unique_ptr<Block> b);
  void write_block(Block& b);
  void write_section(uint8_t tag, const ByteBuf& body);
  void write_section(uint8_t tag, std::initializer_list<const ByteBuf*> parts);
  void finish();

  OutputFile file_;  // every write and the close checked (tools/output_file)
  ByteBuf hier_;       // hierarchy records, fstapi's layout
  unsigned scopes_ = 0;
  std::vector<Track> tracks_;
  ByteBuf times_;
  uint32_t idx_ = kBlockSteps - 1;  // the current time's index in the block (time count - 1)
  TimeDeltas deltas_;
  uint64_t first_ = 0, now_ = 0, begin_ = 0;
  bool started_ = false, closed_ = false;
  ByteBuf frame_;
  uint64_t blocks_ = 0;
  // The block being filled's buffers for the packed signals' values, which
  // are written there directly (a burst's in one copy: no copy at its end).
  std::unique_ptr<Block> next_;

  std::string failure_;  // the first failure's reason (the file, or the hierarchy's compression); "": none
  void fail(const std::string& why) {
    if (failure_.empty()) failure_ = why;
  }
  bool always_here_ = false;   // compress_chains_here()
  // The writer thread; at most kQueued blocks pending, the one it writes included.
  // The writer thread's buffers, kept from block to block.
  struct Scratch {
    ByteBuf frame_z, vc, index, times_z, chain_z;
  } out_;
  std::unique_ptr<PackedChain> packer_;  // (the writer thread's)
  std::unique_ptr<PackedChain> here_packer_;  // (the caller's: pack_here)
  ByteBuf here_z_;
  std::mutex spare_mu_;
  std::vector<std::unique_ptr<Block>> spare_;  // written blocks (spare_mu_)
  WorkQueue<Block> writer_{kQueued - 1, [this](std::unique_ptr<Block> b) { write_and_recycle(std::move(b)); }};
};

// Many time steps in a row, one clock period apart (the waveform writer's
// runs of a block's instructions), written signal by signal: the steps' time
// deltas at once, then each signal's changes in a loop of its own, the hot
// ones (lanes) with their chain's state in the loop's registers, a packed
// one's (pack()) a burst's values at once (values32). While a
// burst lives the encoder is used only through it; the state goes back when
// it ends. Contract: steps() at most room() steps in all (the block's last
// step goes through the encoder: it may end the block); per signal, values at
// increasing time indexes of the burst's steps (or the step before them,
// through value()), a lane's at most one per step.
class FstEncoder::Burst {
 public:
  explicit Burst(FstEncoder& e) : e_(e), idx_(e.idx_), now_(e.now_), times_(e.times_.end()), deltas_(e.deltas_) {}
  ~Burst() {
    e_.idx_ = idx_;
    e_.now_ = now_;
    e_.times_.commit(times_);
    e_.deltas_ = deltas_;
  }
  Burst(const Burst&) = delete;
  Burst& operator=(const Burst&) = delete;

  // Steps left before the block's last (taken through the encoder).
  uint32_t room() const { return kBlockSteps - 1 - idx_; }
  // n (1..room()) steps at t, t + period, ... (t after the last time); returns the first's time index.
  uint32_t steps(uint64_t t, uint64_t period, uint32_t n) {
    const uint32_t first = idx_ + 1;
    times_ = deltas_.put(times_, t - now_);
    if (n > 1) {
      times_ = deltas_.put(times_, period);
      times_ = deltas_.again(times_, period, n - 2);
    }
    idx_ += n;
    now_ = t + (n - 1) * period;
    return first;
  }
  // Signal i (not a lane's) takes v at time index idx (a second value at one
  // index replaces the first), `width` being its own (a constant where the
  // caller knows it).
  void value(unsigned i, uint32_t idx, uint64_t v, unsigned width) {
    Track& s = e_.tracks_[i];
    if (__builtin_expect(s.last_idx == idx || s.packed != nullptr, 0)) return e_.put_at(s, idx, v);
    s.chain.commit(Lane::put(s.chain.end(), s.last_pos, s.prev_idx, s.last_idx, idx, v, width));
  }

  // A packed signal's (pack()) values v[0..n) at time indexes first, first + 1, ...
  void values32(unsigned i, const uint32_t* v, uint32_t n, uint32_t first);

  // A signal whose chain state a loop keeps in registers: lane(i) takes it,
  // value() appends, done() gives it back.
  class Lane {
   public:
    void value(uint32_t idx, uint64_t v, unsigned width) { end_ = put(end_, last_pos_, prev_idx_, last_idx_, idx, v, width); }
    // Appends v at time index idx (> last_idx; room reserved) at p: a change's
    // bytes (a chain's format: fst_encoder.cpp), the bits left-aligned, most
    // significant first (8 bytes stored, (width + 7) / 8 kept).
    static uint8_t* put(uint8_t* p, uint8_t*& last_pos, uint32_t& prev_idx, uint32_t& last_idx, uint32_t idx,
                        uint64_t v, unsigned width) {
      const uint32_t delta = idx - last_idx;
      last_pos = p;
      prev_idx = last_idx;
      last_idx = idx;
      if (width == 1) return put_small(p, uint64_t{delta} << 2 | (v & 1) << 1);
      p = put_small(p, uint64_t{delta} << 1);
      const uint64_t be = __builtin_bswap64(v << (64 - width));
      std::memcpy(p, &be, 8);
      return p + (width + 7) / 8;
    }

   private:
    friend class Burst;
    unsigned i_;
    uint8_t* end_;
    uint8_t* last_pos_;
    uint32_t last_idx_, prev_idx_;
  };
  Lane lane(unsigned i) {
    Track& s = e_.tracks_[i];
    Lane l;
    l.i_ = i, l.end_ = s.chain.end(), l.last_pos_ = s.last_pos, l.last_idx_ = s.last_idx, l.prev_idx_ = s.prev_idx;
    return l;
  }
  void done(const Lane& l) {
    Track& s = e_.tracks_[l.i_];
    s.chain.commit(l.end_);
    s.last_pos = l.last_pos_, s.last_idx = l.last_idx_, s.prev_idx = l.prev_idx_;
  }

 private:
  FstEncoder& e_;
  uint32_t idx_;
  uint64_t now_;
  uint8_t* times_;
  TimeDeltas deltas_;
};

inline void FstEncoder::append(Track& s, uint64_t v, unsigned width) {
  s.chain.commit(Burst::Lane::put(s.chain.end(), s.last_pos, s.prev_idx, s.last_idx, idx_, v, width));
}

}  // namespace trimode
