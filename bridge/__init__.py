"""Cross-chain bridge relayer: watches `MessageSent` on every chain of the deployment manifest,
collects validator signatures and delivers each transfer once with `receive_message`."""
