/*
 * bench_mix: a CPU benchmark whose instruction mix resembles ordinary code
 * rather than tight loops: pointer chasing, recursion, many short calls,
 * data-dependent branches. About 163 million RV32IM instructions, no I/O until
 * the end, no counters or time, so every correct implementation prints the
 * same lines and exits 0:
 *
 *   list    a singly linked list in shuffled node order: walk, sum, reverse,
 *           remove every third node, re-insert in order (pointer chasing)
 *   tree    an unbalanced binary search tree: recursive insert, lookup,
 *           in-order walk checking the order, height
 *   fsm     a tokenizer state machine over generated text (identifiers,
 *           numbers, operators, comments), one call per character class
 *   matrix  small 8x8 integer matrices through short helper calls
 *   crc     table-driven CRC-32 and a CRC-16 over the list and tree contents
 *
 * Each kernel checks itself (order, counts, a second way of computing the same
 * sum) and the combined checksum is compared with the one expected; a failed
 * check prints FAIL and exits 1. Output on success:
 *   list    0x........
 *   ...
 *   bench_mix: checksum 0x........ ok
 */
#include <stdint.h>
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

/* The combined checksum every correct RV32IM implementation computes. */
#define EXPECTED_CHECKSUM 0x964503cau

static int failures;

static void check(int ok, const char *what) {
  if (!ok) {
    printf("FAIL: %s\n", what);
    ++failures;
  }
}

static uint32_t rng_state;

static NOINLINE uint32_t rng_next(void) {
  uint32_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  rng_state = x;
  return x;
}

static NOINLINE uint32_t mix(uint32_t h, uint32_t v) { return (h ^ v) * 0x01000193u; }

/* ---- list ------------------------------------------------------------------ */

#define LIST_N 4000u
#define LIST_REPS 60u

struct node {
  struct node *next;
  uint32_t key;
  uint32_t value;
};

static struct node nodes[LIST_N];

static NOINLINE struct node *list_build(void) {
  /* Nodes linked in a random permutation of the array: every step is a jump. */
  static uint16_t order[LIST_N];
  for (uint32_t i = 0; i < LIST_N; ++i) order[i] = (uint16_t)i;
  for (uint32_t i = LIST_N - 1; i > 0; --i) {
    uint32_t j = rng_next() % (i + 1);
    uint16_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  struct node *head = 0;
  for (uint32_t i = 0; i < LIST_N; ++i) {
    struct node *n = &nodes[order[i]];
    n->key = rng_next() % 100000u;
    n->value = i;
    n->next = head;
    head = n;
  }
  return head;
}

static NOINLINE uint32_t list_length(const struct node *n) {
  uint32_t len = 0;
  for (; n; n = n->next) ++len;
  return len;
}

static NOINLINE uint32_t list_sum(const struct node *n) {
  uint32_t s = 0;
  for (; n; n = n->next) s += n->key;
  return s;
}

static NOINLINE struct node *list_reverse(struct node *n) {
  struct node *prev = 0;
  while (n) {
    struct node *next = n->next;
    n->next = prev;
    prev = n;
    n = next;
  }
  return prev;
}

/* Removes every third node; returns the removed ones as a list. */
static NOINLINE struct node *list_remove_thirds(struct node **head) {
  struct node *removed = 0;
  struct node **link = head;
  uint32_t i = 0;
  while (*link) {
    if (++i % 3 == 0) {
      struct node *n = *link;
      *link = n->next;
      n->next = removed;
      removed = n;
    } else {
      link = &(*link)->next;
    }
  }
  return removed;
}

static NOINLINE struct node *list_insert_sorted(struct node *head, struct node *n) {
  struct node **link = &head;
  while (*link && (*link)->key < n->key) link = &(*link)->next;
  n->next = *link;
  *link = n;
  return head;
}

static NOINLINE int list_sorted(const struct node *n) {
  for (; n && n->next; n = n->next) {
    if (n->key > n->next->key) return 0;
  }
  return 1;
}

static uint32_t bench_list(void) {
  rng_state = 0x1badb002u;
  uint32_t h = 0;
  for (uint32_t rep = 0; rep < LIST_REPS; ++rep) {
    struct node *head = list_build();
    uint32_t direct = 0;
    for (uint32_t i = 0; i < LIST_N; ++i) direct += nodes[i].key;
    const uint32_t sum = list_sum(head);
    check(sum == direct, "list sum");
    head = list_reverse(head);
    check(list_sum(head) == sum, "list sum after reverse");
    struct node *removed = list_remove_thirds(&head);
    check(list_length(head) + list_length(removed) == LIST_N, "list length after removal");
    /* Re-insert a few hundred removed nodes into a sorted list of their own. */
    struct node *sorted = 0;
    for (uint32_t k = 0; k < 300u && removed; ++k) {
      struct node *n = removed;
      removed = removed->next;
      sorted = list_insert_sorted(sorted, n);
    }
    check(list_sorted(sorted), "sorted list order");
    h = mix(h, sum);
    h = mix(h, list_sum(sorted));
    h = mix(h, list_length(head));
  }
  return h;
}

/* ---- tree ------------------------------------------------------------------ */

#define TREE_N 6000u
#define TREE_REPS 12u

struct tnode {
  struct tnode *left, *right;
  uint32_t key;
  uint32_t count;
};

static struct tnode tnodes[TREE_N];
static uint32_t tree_used;

static NOINLINE struct tnode *tree_insert(struct tnode *t, uint32_t key) {
  if (!t) {
    struct tnode *n = &tnodes[tree_used++];
    n->left = n->right = 0;
    n->key = key;
    n->count = 1;
    return n;
  }
  if (key < t->key) {
    t->left = tree_insert(t->left, key);
  } else if (key > t->key) {
    t->right = tree_insert(t->right, key);
  } else {
    ++t->count;
  }
  return t;
}

static NOINLINE const struct tnode *tree_find(const struct tnode *t, uint32_t key) {
  while (t && t->key != key) t = key < t->key ? t->left : t->right;
  return t;
}

static uint32_t walk_prev;
static int walk_ordered;

static NOINLINE uint32_t tree_walk(const struct tnode *t) {
  if (!t) return 0;
  uint32_t n = tree_walk(t->left);
  if (t->key < walk_prev) walk_ordered = 0;
  walk_prev = t->key;
  n += t->count;
  return n + tree_walk(t->right);
}

static NOINLINE uint32_t tree_height(const struct tnode *t) {
  if (!t) return 0;
  const uint32_t l = tree_height(t->left), r = tree_height(t->right);
  return 1 + (l > r ? l : r);
}

static uint32_t bench_tree(void) {
  rng_state = 0xcafef00du;
  uint32_t h = 0;
  for (uint32_t rep = 0; rep < TREE_REPS; ++rep) {
    tree_used = 0;
    struct tnode *root = 0;
    for (uint32_t i = 0; i < TREE_N; ++i) root = tree_insert(root, rng_next() % 50000u);
    uint32_t found = 0;
    for (uint32_t i = 0; i < 2 * TREE_N; ++i) found += tree_find(root, rng_next() % 50000u) != 0;
    walk_prev = 0;
    walk_ordered = 1;
    check(tree_walk(root) == TREE_N, "tree count");
    check(walk_ordered, "tree order");
    h = mix(h, found);
    h = mix(h, tree_height(root));
    h = mix(h, tree_used);
  }
  return h;
}

/* ---- fsm ------------------------------------------------------------------- */

#define TEXT_N 20000u
#define FSM_REPS 14u

static char text[TEXT_N];

enum cls { C_SPACE, C_ALPHA, C_DIGIT, C_OP, C_SLASH, C_NL };
enum state { S_START, S_IDENT, S_NUMBER, S_SLASH, S_COMMENT };

static NOINLINE enum cls classify(char c) {
  if (c == ' ') return C_SPACE;
  if (c == '\n') return C_NL;
  if (c == '/') return C_SLASH;
  if (c >= '0' && c <= '9') return C_DIGIT;
  if ((c >= 'a' && c <= 'z') || c == '_') return C_ALPHA;
  return C_OP;
}

static NOINLINE void gen_text(void) {
  static const char ops[] = "+-*=<>(){};,";
  for (uint32_t i = 0; i < TEXT_N; ++i) {
    const uint32_t r = rng_next() % 100u;
    char c;
    if (r < 45) c = (char)('a' + rng_next() % 26u);
    else if (r < 60) c = (char)('0' + rng_next() % 10u);
    else if (r < 78) c = ' ';
    else if (r < 90) c = ops[rng_next() % (sizeof ops - 1)];
    else if (r < 95) c = '/';
    else c = '\n';
    text[i] = c;
  }
}

struct tokens {
  uint32_t idents, numbers, ops, comments, value_sum;
};

static NOINLINE uint32_t digit(char c) { return (uint32_t)(c - '0'); }

static NOINLINE void tokenize(struct tokens *t) {
  enum state s = S_START;
  uint32_t value = 0;
  for (uint32_t i = 0; i < TEXT_N; ++i) {
    const char c = text[i];
    const enum cls k = classify(c);
    switch (s) {
      case S_START:
        if (k == C_ALPHA) { s = S_IDENT; ++t->idents; }
        else if (k == C_DIGIT) { s = S_NUMBER; ++t->numbers; value = digit(c); }
        else if (k == C_SLASH) s = S_SLASH;
        else if (k == C_OP) ++t->ops;
        break;
      case S_IDENT:
        if (k == C_ALPHA || k == C_DIGIT) break;
        s = S_START;
        --i;  /* this character starts the next token */
        break;
      case S_NUMBER:
        if (k == C_DIGIT) { value = value * 10u + digit(c); break; }
        t->value_sum += value;
        s = S_START;
        --i;
        break;
      case S_SLASH:
        if (k == C_SLASH) { s = S_COMMENT; ++t->comments; }
        else { ++t->ops; s = S_START; --i; }
        break;
      case S_COMMENT:
        if (k == C_NL) s = S_START;
        break;
    }
  }
  if (s == S_NUMBER) t->value_sum += value;
}

static uint32_t bench_fsm(void) {
  rng_state = 0x8badf00du;
  uint32_t h = 0;
  for (uint32_t rep = 0; rep < FSM_REPS; ++rep) {
    gen_text();
    struct tokens t = {0, 0, 0, 0, 0};
    tokenize(&t);
    /* Every token starts at a character the start state accepts: at most as many as characters. */
    check(t.idents + t.numbers + t.ops + t.comments <= TEXT_N, "token count");
    h = mix(h, t.idents);
    h = mix(h, t.numbers);
    h = mix(h, t.ops);
    h = mix(h, t.comments);
    h = mix(h, t.value_sum);
  }
  return h;
}

/* ---- matrix ---------------------------------------------------------------- */

#define M 8u
#define MAT_REPS 6000u

typedef int32_t mat[M][M];

static NOINLINE int32_t dot(const mat a, const mat b, uint32_t i, uint32_t j) {
  int32_t s = 0;
  for (uint32_t k = 0; k < M; ++k) s += a[i][k] * b[k][j];
  return s;
}

static NOINLINE void mat_mul(mat c, const mat a, const mat b) {
  for (uint32_t i = 0; i < M; ++i) {
    for (uint32_t j = 0; j < M; ++j) c[i][j] = dot(a, b, i, j);
  }
}

static NOINLINE int32_t clamp(int32_t v) { return v % 97; }

static NOINLINE int32_t trace_of(const mat a) {
  int32_t t = 0;
  for (uint32_t i = 0; i < M; ++i) t += a[i][i];
  return t;
}

static uint32_t bench_matrix(void) {
  static mat a, b, c;
  rng_state = 0xfeedfaceu;
  for (uint32_t i = 0; i < M; ++i) {
    for (uint32_t j = 0; j < M; ++j) {
      a[i][j] = (int32_t)(rng_next() % 19u) - 9;
      b[i][j] = (int32_t)(rng_next() % 19u) - 9;
    }
  }
  uint32_t h = 0;
  for (uint32_t rep = 0; rep < MAT_REPS; ++rep) {
    mat_mul(c, a, b);
    /* trace(AB) = trace(BA): computed the second way every 64th repetition. */
    if (rep % 64u == 0) {
      static mat d;
      mat_mul(d, b, a);
      check(trace_of(c) == trace_of(d), "matrix trace");
    }
    h = mix(h, (uint32_t)trace_of(c));
    for (uint32_t i = 0; i < M; ++i) {
      for (uint32_t j = 0; j < M; ++j) a[i][j] = clamp(c[i][j]);
    }
  }
  return h;
}

/* ---- crc ------------------------------------------------------------------- */

#define CRC_REPS 40u

static uint32_t crc_table[256];

static NOINLINE void crc_init(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    crc_table[i] = c;
  }
}

static NOINLINE uint32_t crc32_byte(uint32_t crc, uint8_t b) { return crc_table[(crc ^ b) & 0xffu] ^ (crc >> 8); }

static NOINLINE uint32_t crc32_word(uint32_t crc, uint32_t w) {
  for (int i = 0; i < 4; ++i) crc = crc32_byte(crc, (uint8_t)(w >> (8 * i)));
  return crc;
}

static NOINLINE uint16_t crc16_bitwise(uint16_t crc, uint8_t b) {
  crc ^= (uint16_t)b << 8;
  for (int k = 0; k < 8; ++k) crc = (uint16_t)((crc & 0x8000u) ? ((uint32_t)crc << 1) ^ 0x1021u : (uint32_t)crc << 1);
  return crc;
}

static uint32_t bench_crc(void) {
  crc_init();
  /* CRC-32 of "123456789" is 0xcbf43926 (the standard check value). */
  uint32_t check_crc = 0xffffffffu;
  for (const char *p = "123456789"; *p; ++p) check_crc = crc32_byte(check_crc, (uint8_t)*p);
  check(~check_crc == 0xcbf43926u, "crc32 check value");
  uint16_t c16 = 0xffffu;
  for (const char *p = "123456789"; *p; ++p) c16 = crc16_bitwise(c16, (uint8_t)*p);
  check(c16 == 0x29b1u, "crc16 check value");
  uint32_t h = 0;
  for (uint32_t rep = 0; rep < CRC_REPS; ++rep) {
    uint32_t crc = 0xffffffffu;
    c16 = 0xffffu;
    for (uint32_t i = 0; i < LIST_N; ++i) {
      crc = crc32_word(crc, nodes[i].key + rep);
      c16 = crc16_bitwise(c16, (uint8_t)(nodes[i].key ^ rep));
    }
    for (uint32_t i = 0; i < TREE_N; ++i) crc = crc32_word(crc, tnodes[i].key);
    h = mix(h, ~crc);
    h = mix(h, c16);
  }
  return h;
}

static uint32_t run(const char *name, uint32_t (*kernel)(void)) {
  const uint32_t sum = kernel();
  printf("%-7s 0x%08lx\n", name, (unsigned long)sum);
  return sum;
}

int main(void) {
  uint32_t h = run("list", bench_list);
  h = mix(h, run("tree", bench_tree));
  h = mix(h, run("fsm", bench_fsm));
  h = mix(h, run("matrix", bench_matrix));
  h = mix(h, run("crc", bench_crc));
  check(h == EXPECTED_CHECKSUM, "combined checksum");
  printf("bench_mix: checksum 0x%08lx %s\n", (unsigned long)h, failures ? "FAIL" : "ok");
  return failures ? 1 : 0;
}
