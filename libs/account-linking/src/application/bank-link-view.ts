import type { ExistingLinkState } from '../domain/link/link-state';
import { toLinkView, type LinkView } from './link-view';

/**
 * A link as its bank's customer support sees it: which app it is for, its account and status; not the
 * app's own customer reference or device.
 */
export type BankLinkView = Omit<LinkView, 'customer' | 'device'> & { paymentApp: { id: string } };

export function toBankLinkView(state: ExistingLinkState): BankLinkView {
  const { customer: _customer, device: _device, ...view } = toLinkView(state);
  return { ...view, paymentApp: { id: state.link.paymentAppId } };
}
