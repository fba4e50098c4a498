/** The account emails, sent through the mailer and parsed: in the member's language, each with its one button. */
import { describe, expect, it } from 'vitest';
import { outboxSender } from '../../testing-mail.ts';
import { changeRequestedEmail, resetEmail, verifyAddressEmail } from './mail.ts';

const sent = outboxSender('account-mail');

describe('the account emails', () => {
  it('writes the account emails in the member’s language, each with its one button', async () => {
    const fr = await sent(resetEmail('fr', 'Zoé <b>', 'https://n.example/fr/reset/t'));
    expect(fr.subject).toBe('Réinitialiser votre mot de passe');
    expect(String(fr.html)).toContain('<html lang="fr">');
    expect(String(fr.html)).toContain('href="https://n.example/fr/reset/t"');
    expect(String(fr.html)).toContain('Bonjour Zoé &#60;b&#62;,');
    expect(fr.text).toContain('Choisir un nouveau mot de passe: https://n.example/fr/reset/t');
    const en = await sent(verifyAddressEmail('en', 'Ann', 'https://n.example/verify-email?token=t', 48));
    expect(String(en.html)).toContain('<html lang="en">');
    expect(en.text).toContain('Confirm my address: https://n.example/verify-email?token=t');
    expect(en.text).toContain('You get this email because this address was used to create an account');
    const change = await sent(changeRequestedEmail('fr', 'Ann', 'new@example.org', 'https://n.example/fr/reset'));
    expect(change.text).toContain('new@example.org');
    expect(String(change.html)).toContain('href="https://n.example/fr/reset"');
  });
});
