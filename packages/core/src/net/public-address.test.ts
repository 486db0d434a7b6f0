import { describe, expect, it } from 'vitest'
import { isPrivateAddress, publicUrlProblem, shownUrl } from './public-address.js'

describe('the SSRF check', () => {
  it('knows private, loopback, link-local, CGNAT and mapped addresses', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) expect(isPrivateAddress(ip), ip).toBe(true)
    for (const ip of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111']) expect(isPrivateAddress(ip), ip).toBe(false)
  })

  it('refuses a host when any of its addresses is private, unless it is allowed by name', async () => {
    const rebinding = async () => [{ address: '93.184.216.34' }, { address: '10.0.0.7' }]
    expect(await publicUrlProblem(new URL('https://media.example/a.png'), [], rebinding)).toContain('private address (10.0.0.7)')
    expect(await publicUrlProblem(new URL('https://media.example/a.png'), ['MEDIA.example'], rebinding)).toBeUndefined()
    expect(await publicUrlProblem(new URL('https://media.example/a.png'), [], async () => [{ address: '93.184.216.34' }])).toBeUndefined()
    expect(await publicUrlProblem(new URL('https://nowhere.example/'), [], async () => [])).toBe('its host does not resolve')
  })

  it('shows a URL without its query, fragment or credentials', () => {
    expect(shownUrl(new URL('https://u:p@h.example:8443/x/y.png?token=s#f'))).toBe('https://h.example:8443/x/y.png')
  })
})
