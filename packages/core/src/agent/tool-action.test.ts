import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import type { ToolDefinition } from '../types/tools.js'
import { mergeToolAction } from './tool-action.js'

const withAction: ToolDefinition = { name: 'files', description: 'Multi-action', parameters: z.object({ action: z.enum(['list', 'read']), path: z.string().optional() }), execute: () => null }
const withoutAction: ToolDefinition = { name: 'add', description: 'Add', parameters: z.strictObject({ a: z.number(), b: z.number() }), execute: () => null }

describe('mergeToolAction', () => {
  it('should put action into args.action when the parameters have one, args absent or an object', () => {
    expect(mergeToolAction(withAction, { path: '/' }, 'list')).toEqual({ path: '/', action: 'list' })
    expect(mergeToolAction(withAction, undefined, 'read')).toEqual({ action: 'read' })
    expect(mergeToolAction(withAction, { action: 'list' }, 'list')).toEqual({ action: 'list' })
  })

  it('should refuse an args.action that says otherwise, and args that are not an object', () => {
    expect(() => mergeToolAction(withAction, { action: 'read' }, 'list')).toThrow(expect.objectContaining({ code: 'CORE_ERR_TOOL_INVALID_ARGS', statusCode: 400 }))
    expect(() => mergeToolAction(withAction, [1], 'list')).toThrow(expect.objectContaining({ code: 'CORE_ERR_TOOL_INVALID_ARGS' }))
  })

  it('should leave args alone without action, for tools whose parameters have none, and for unknown tools', () => {
    expect(mergeToolAction(withAction, { path: '/' }, undefined)).toEqual({ path: '/' })
    expect(mergeToolAction(withoutAction, { a: 1, b: 2 }, 'sum')).toEqual({ a: 1, b: 2 })
    expect(mergeToolAction(undefined, { x: 1 }, 'list')).toEqual({ x: 1 })
  })
})
