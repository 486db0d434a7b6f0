import { describe, expect, it } from 'vitest'
import { formatMarkdown } from './format-markdown.js'

const sample = [
  '# Title',
  '',
  'Some **bold**, _italic_, ~~gone~~ and `a < b` with [a link](https://example.com).',
  '',
  '- one',
  '- two',
  '',
  '```ts',
  'if (a < b && c) {}',
  '```',
].join('\n')

describe('formatMarkdown', () => {
  it('leaves markdown as written for markdown channels', () => {
    expect(formatMarkdown(`  ${sample}\n\n`, 'markdown')).toBe(sample)
  })

  it('renders plain text without markup, keeping link targets', () => {
    expect(formatMarkdown(sample, 'plain')).toBe(
      ['Title', '', 'Some bold, italic, gone and a < b with a link (https://example.com).', '', '• one\n• two', '', 'if (a < b && c) {}'].join('\n'),
    )
  })

  it('renders the chat-app html subset with everything escaped', () => {
    expect(formatMarkdown(sample, 'html')).toBe(
      [
        '<b>Title</b>',
        '',
        'Some <b>bold</b>, <i>italic</i>, <s>gone</s> and <code>a &lt; b</code> with <a href="https://example.com">a link</a>.',
        '',
        '• one\n• two',
        '',
        '<pre><code class="language-ts">if (a &lt; b &amp;&amp; c) {}</code></pre>',
      ].join('\n'),
    )
  })

  it('escapes raw html the agent wrote instead of passing it through', () => {
    expect(formatMarkdown('hi <script>x</script> & bye', 'html')).toBe('hi &lt;script&gt;x&lt;/script&gt; &amp; bye')
    expect(formatMarkdown('a & b < c', 'plain')).toBe('a & b < c')
  })

  it('numbers ordered lists from their start', () => {
    expect(formatMarkdown('3. c\n4. d', 'plain')).toBe('3. c\n4. d')
  })
})
