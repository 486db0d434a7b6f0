import { describe, expect, it } from 'vitest'
import { resolveAgentTarget } from './resolve-agent-target.js'

const base = { headers: {}, agentIds: ['main', 'ops'], defaultAgentId: 'main' }

describe('resolveAgentTarget', () => {
  it('should map openclaw and openclaw/default to the default agent, not explicitly', () => {
    for (const model of ['openclaw', 'openclaw/default', 'OpenClaw', 'openclaw:default']) {
      expect(resolveAgentTarget({ ...base, model })).toEqual({ agentId: 'main', explicit: false })
    }
  })

  it('should map openclaw/<id>, openclaw:<id> and agent:<id> to that agent, case-insensitively', () => {
    for (const model of ['openclaw/ops', 'openclaw:ops', 'agent:ops', 'openclaw/OPS']) {
      expect(resolveAgentTarget({ ...base, model })).toEqual({ agentId: 'ops', explicit: true })
    }
  })

  it('should let the x-openclaw-agent-id header (or x-openclaw-agent) win over the model', () => {
    expect(resolveAgentTarget({ ...base, model: 'openclaw/main', headers: { 'x-openclaw-agent-id': 'ops' } })).toEqual({ agentId: 'ops', explicit: true })
    expect(resolveAgentTarget({ ...base, model: 'gpt-4o', headers: { 'x-openclaw-agent': 'ops' } })).toEqual({ agentId: 'ops', explicit: true })
  })

  it('should refuse unknown agents and foreign models with coded 400s naming the param', () => {
    expect(() => resolveAgentTarget({ ...base, model: 'openclaw/nobody' })).toThrow(expect.objectContaining({ code: 'OAI_ERR_AGENT_UNKNOWN', statusCode: 400 }))
    expect(() => resolveAgentTarget({ ...base, model: 'gpt-4o' })).toThrow(expect.objectContaining({ code: 'OAI_ERR_MODEL_INVALID' }))
    expect(() => resolveAgentTarget({ ...base, model: '' })).toThrow(expect.objectContaining({ code: 'OAI_ERR_INVALID_PARAM' }))
    expect(() => resolveAgentTarget({ ...base, model: 'openclaw', headers: { 'x-openclaw-agent-id': 'Bad Id' } })).toThrow(
      expect.objectContaining({ code: 'OAI_ERR_AGENT_UNKNOWN' }),
    )
  })
})
