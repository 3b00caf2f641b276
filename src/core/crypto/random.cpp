#include "core/crypto/random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <cstdio>
#include <cstdlib>

#include "core/crypto/encoding.h"
#include "core/crypto/ossl_internal.h"

namespace pocketid::crypto {

namespace {

// RAND_bytes costs two getpid() system calls (OpenSSL's fork check) however few bytes it returns, and a request
// needs several small draws (request id, CSP nonce, tokens). Small draws therefore come from a per-thread block of
// CSPRNG output, refilled with one RAND_bytes call and wiped as it is handed out. The server never forks, so no
// block is ever seen by two processes.
class ThreadRandomPool {
 public:
  static constexpr size_t kMaxDraw = 128;

  void Take(unsigned char* out, size_t n) {
    if (n > kBlock - used_) Refill();
    std::memcpy(out, block_ + used_, n);
    OPENSSL_cleanse(block_ + used_, n);
    used_ += n;
  }

 private:
  static constexpr size_t kBlock = 4096;
  void Refill() {
    if (RAND_bytes(block_, static_cast<int>(kBlock)) != 1) internal::Fatal("RAND_bytes failed");
    used_ = 0;
  }
  unsigned char block_[kBlock];
  size_t used_ = kBlock;
};

}  // namespace

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n <= ThreadRandomPool::kMaxDraw) {
    thread_local ThreadRandomPool pool;
    pool.Take(internal::MutableBytes(out), n);
    return out;
  }
  size_t done = 0;
  while (done < n) {  // RAND_bytes takes an int length
    const int chunk = static_cast<int>(std::min<size_t>(n - done, INT_MAX));
    if (RAND_bytes(internal::MutableBytes(out) + done, chunk) != 1) internal::Fatal("RAND_bytes failed");
    done += static_cast<size_t>(chunk);
  }
  return out;
}

std::string NewUuidV4() {
  std::string b = RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);  // RFC variant
  const std::string hex = HexEncode(b);
  std::string out;
  out.reserve(36);
  out.append(hex, 0, 8).append(1, '-').append(hex, 8, 4).append(1, '-').append(hex, 12, 4);
  out.append(1, '-').append(hex, 16, 4).append(1, '-').append(hex, 20, 12);
  return out;
}

std::string RandomString(size_t n, std::string_view alphabet) {
  const unsigned k = static_cast<unsigned>(alphabet.size());
  if (k == 0 || k > 256) {
    std::fprintf(stderr, "pocket-id: RandomString: alphabet must have 1..256 characters, got %u\n", k);
    std::abort();
  }
  // Accept a byte only below the largest multiple of k that fits in 256, so `b % k` is uniform.
  const unsigned limit = 256 - (256 % k);
  std::string out;
  out.reserve(n);
  while (out.size() < n) {
    // Draw a little more than needed: at most half of the bytes can be rejected (k = 129 is the worst).
    const std::string pool = RandomBytes((n - out.size()) * 2 + 8);
    for (unsigned char b : pool) {
      if (b >= limit) continue;
      out.push_back(alphabet[b % k]);
      if (out.size() == n) break;
    }
  }
  return out;
}

}  // namespace pocketid::crypto
