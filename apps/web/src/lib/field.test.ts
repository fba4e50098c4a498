import { describe, expect, it } from 'vitest';
import { controlAttributes, describedBy } from './field.ts';

describe('describedBy', () => {
  it('names the hint, then the error, when they are shown', () => {
    expect(describedBy('bio', { hint: 'At most 5,000 characters', error: 'Too long' })).toBe('bio-hint bio-error');
    expect(describedBy('bio', { hint: 'At most 5,000 characters' })).toBe('bio-hint');
    expect(describedBy('bio', { error: 'Too long' })).toBe('bio-error');
  });

  it('is absent when there is neither (an empty text counts as none)', () => {
    expect(describedBy('bio', {})).toBeUndefined();
    expect(describedBy('bio', { hint: '', error: null })).toBeUndefined();
  });
});

describe('controlAttributes', () => {
  it('gives a single control its id, its description and its state', () => {
    expect(
      controlAttributes('email', { group: false, hint: 'We never show it', error: 'Required', required: true }),
    ).toEqual({
      id: 'email',
      'aria-describedby': 'email-hint email-error',
      'aria-invalid': 'true',
      'aria-required': 'true',
    });
  });

  it('leaves a valid, optional control unmarked', () => {
    expect(controlAttributes('email', { group: false, required: false })).toEqual({
      id: 'email',
      'aria-describedby': undefined,
      'aria-invalid': undefined,
      'aria-required': undefined,
    });
  });

  it('gives the controls of a group only their state (the fieldset is described)', () => {
    expect(
      controlAttributes('event-mode', { group: true, hint: 'Pick one', error: 'Required', required: true }),
    ).toEqual({
      'aria-invalid': 'true',
      'aria-required': 'true',
    });
  });
});
