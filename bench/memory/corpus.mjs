// A deterministic synthetic memory corpus: daily notes of 100 words or so, each about one of 500
// topics (a topic favours its own words), over a Zipf-distributed vocabulary of 20,000 made-up words.
// Same seed, same corpus, on every machine.

/** mulberry32: a small seeded PRNG. */
export function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sha', 'vor', 'ne', 'pix', 'dal', 'qu', 'e', 'zor', 'ban', 'li', 'tro', 'gen', 'hu', 'fa', 'wel', 'os', 'cyr', 'da', 'mo']

export function makeVocabulary(size, random) {
  const words = new Set()
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3)
    let w = ''
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)]
    words.add(w)
  }
  return [...words]
}

/** Build the corpus: `count` chunks `{ id, path, text, createdAt }` and `queries` that each target one chunk. */
export function makeCorpus({ count = 100_000, topics = 500, vocabulary = 20_000, queries = 400, seed = 42 } = {}) {
  const random = rng(seed)
  const vocab = makeVocabulary(vocabulary, random)
  // Zipf over the whole vocabulary via a cumulative table.
  const cumulative = new Float64Array(vocab.length)
  let total = 0
  for (let i = 0; i < vocab.length; i++) cumulative[i] = total += 1 / (i + 1)
  const zipf = () => {
    const x = random() * total
    let lo = 0
    let hi = vocab.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid] < x) lo = mid + 1
      else hi = mid
    }
    return vocab[lo]
  }
  const topicWords = Array.from({ length: topics }, () => Array.from({ length: 40 }, () => vocab[200 + Math.floor(random() * (vocab.length - 200))]))
  const chunks = new Array(count)
  const day0 = Date.UTC(2026, 0, 1)
  for (let i = 0; i < count; i++) {
    const topic = Math.floor(random() * topics)
    const words = topicWords[topic]
    const length = 60 + Math.floor(random() * 80)
    const out = []
    for (let w = 0; w < length; w++) out.push(random() < 0.35 ? words[Math.floor(random() * words.length)] : zipf())
    const day = new Date(day0 + Math.floor(i / 300) * 86_400_000).toISOString().slice(0, 10)
    chunks[i] = { id: i, topic, path: `memory/${day}.md`, text: `## Note ${i} about ${words[0]}\n${out.join(' ')}.`, createdAt: day0 + i * 1000 }
  }
  const qs = []
  for (let q = 0; q < queries; q++) {
    const target = chunks[Math.floor(random() * count)]
    const tokens = target.text.split(/\W+/).filter((t) => t.length > 3)
    const picked = Array.from({ length: 4 }, () => tokens[Math.floor(random() * tokens.length)])
    qs.push({ text: picked.join(' '), target: target.id })
  }
  return { chunks, queries: qs }
}
